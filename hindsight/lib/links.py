from django.conf import settings
from django.utils.html import escape


def link_snippet(page) -> str:
    """The HTML a reader can paste to link to a page, as text (templates escape it to show)."""
    url = settings.SITE_URL + page.get_absolute_url()
    return f'<a href="{escape(url)}">{escape(str(page))}</a>'
