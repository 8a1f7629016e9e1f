"""Settings the site-wide templates need, read without a request or a context processor, so the
500 page (rendered with an empty context) can use them too."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME


@register.simple_tag
def support_url() -> str:
    return settings.SUPPORT_URL
