"""Sanity of the settings this app reads, checked when the site starts."""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


@checks.register()
def check_support_url(app_configs, **kwargs) -> list[checks.CheckMessage]:
    url = settings.SUPPORT_URL
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        return [checks.Error(
            f"SUPPORT_URL must be an http(s) address, not {url!r}.",
            hint="Set it to the page where people can give money, or leave it empty.",
            id="pages.E001",
        )]
    return []


@checks.register()
def check_contact_email(app_configs, **kwargs) -> list[checks.CheckMessage]:
    address = parseaddr(settings.CONTACT_EMAIL)[1]
    try:
        validate_email(address)
    except ValidationError:
        return [checks.Error(
            f"CONTACT_EMAIL (or DEFAULT_FROM_EMAIL, its default) is not an email address: "
            f"{settings.CONTACT_EMAIL!r}.",
            hint="Set CONTACT_EMAIL to the address that should receive the contact form.",
            id="pages.E002",
        )]
    if settings.PRODUCTION and settings.CONTACT_EMAIL == settings.SERVER_EMAIL:
        return [checks.Warning(
            "CONTACT_EMAIL is not set: the contact form's messages go to the site's own sending "
            f"address ({settings.CONTACT_EMAIL}), where nobody may read them.",
            hint="Set CONTACT_EMAIL to a mailbox a person reads.",
            id="pages.W001",
        )]
    return []
