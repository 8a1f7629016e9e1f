"""Settings for the benchmark's gunicorn: the site's own, plus one bare page (bench/site_urls.py)
that shows what Django itself costs. Never used by the site."""

from hindsight.settings import *  # noqa: F403

ROOT_URLCONF = "site_urls"
