import datetime
import re

from django.core import signing
from django.utils import timezone

from pages.forms import SHOWN_SALT

SITE_PAGE_PATHS = ["/about/", "/privacy/", "/disclaimer/", "/disclosure/", "/support/"]
FOOTER_PATHS = [*SITE_PAGE_PATHS, "/contact/"]


def shown_seconds_ago(seconds: float) -> str:
    moment = timezone.now() - datetime.timedelta(seconds=seconds)
    return signing.dumps(moment.timestamp(), salt=SHOWN_SALT)


def contact_data(**overrides) -> dict:
    data = {
        "name": "Jo",
        "email": "jo@example.org",
        "subject": "A correction to the evidence page",
        "message": "The CoSMo study had 1,767 people assessed, not 1,700.",
        "website": "",
        "shown_at": shown_seconds_ago(60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def footer_hrefs(html: str) -> set[str]:
    """The links in the page's footer."""
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    assert footer, "the page has no site footer"
    return set(re.findall(r'href="([^"]+)"', footer.group(1)))
