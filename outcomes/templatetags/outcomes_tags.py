from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def count(value, threshold):
    """A published count, or the words for a hidden one."""
    if value is None:
        return _("not shown (fewer than %(n)s, or hidden to protect one)") % {"n": threshold}
    return f"{value:,}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def pct(share) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


@register.simple_tag
def interval(proportion) -> str:
    if proportion is None or proportion.share is None:
        return "—"
    return _("%(share)s (95%% interval %(low)s to %(high)s)") % {
        "share": pct(proportion.share), "low": pct(proportion.low), "high": pct(proportion.high),
    }
