"""The rules that hold a comment for a moderator even from a trusted commenter."""

import re

from discussion.models import BlockedTerm

MAX_LINKS = 2
MIN_SECONDS_TO_WRITE = 5
_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?([a-z0-9.-]+\.[a-z]{2,})", re.IGNORECASE)

HONEYPOT = "honeypot"
TOO_FAST = "too_fast"
TOO_MANY_LINKS = "too_many_links"


def hold_reasons(*, body: str, name: str, honeypot: str,
                 seconds_to_write: float | None) -> list[str]:
    reasons = []
    if honeypot:
        reasons.append(HONEYPOT)
    if seconds_to_write is None or seconds_to_write < MIN_SECONDS_TO_WRITE:
        reasons.append(TOO_FAST)
    if len(_LINK.findall(body)) > MAX_LINKS:
        reasons.append(TOO_MANY_LINKS)
    text = f"{name}\n{body}".casefold()
    domains = {match.lower() for match in _DOMAIN.findall(body)}
    for term in BlockedTerm.objects.all():
        value = term.value.casefold()
        if term.kind == BlockedTerm.Kind.WORD and value in text:
            reasons.append(f"blocked_word:{term.value}")
        elif term.kind == BlockedTerm.Kind.DOMAIN and any(
            domain == value or domain.endswith("." + value) for domain in domains
        ):
            reasons.append(f"blocked_domain:{term.value}")
    return reasons
