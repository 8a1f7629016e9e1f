"""The site's date formats, by language (FORMAT_MODULE_PATH). Django's own formats supply
whatever a module here leaves out."""
