"""Words the identifying-details helper should not flag: people and places the site already
names publicly (the directory) and a treatment's own words. Each app registers what it owns;
moderation never imports them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache

# The directory changes rarely; a moderator's queue page checks many rows against it.
CACHE_KEY = "moderation:known-terms"
CACHE_SECONDS = 60


@dataclass
class KnownTerms:
    people: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    ignore_words: set[str] = field(default_factory=set)

    def add(self, other: "KnownTerms") -> None:
        self.people |= other.people
        self.places |= other.places
        self.ignore_words |= other.ignore_words

    def as_kwargs(self) -> dict:
        return {
            "known_people": sorted(self.people),
            "known_places": sorted(self.places),
            "ignore_words": sorted(self.ignore_words),
        }


_PROVIDERS: list[Callable[[], KnownTerms]] = []


def register_known_terms(provider: Callable[[], KnownTerms]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def known_terms() -> KnownTerms:
    terms = KnownTerms()
    for provider in _PROVIDERS:
        terms.add(provider())
    return terms


def known_terms_cached() -> dict:
    """known_terms() as keyword arguments for find_identifying, kept for a minute."""
    try:
        terms = cache.get(CACHE_KEY)
    except Exception:  # a failing cache slows the page, never breaks it
        return known_terms().as_kwargs()
    if terms is None:
        terms = known_terms().as_kwargs()
        try:
            cache.set(CACHE_KEY, terms, CACHE_SECONDS)
        except Exception:
            pass
    return terms
