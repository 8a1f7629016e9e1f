"""What the directory's pages read: published entries, the share form's lookup, and the
stories and overall results linked to an entry (small counts hidden as on the outcomes page)."""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django_countries import countries

from directory.models import DirectoryEntry, StoryDirectoryLink, folded
from outcomes.cohort import confirmed_accounts, counted_stories
from outcomes.definitions import BETTER, NOT_BETTER, identity_of
from outcomes.statistics import Proportion, proportion, publish_row
from stories.choices import Result
from stories.models import Story

LOOKUP_LIMIT = 8
LOOKUP_MAX_QUERY = 100
LOOKUP_MIN_WORD = 2
LOOKUP_MAX_WORDS = 5
# Titles people type before a name ("Dr Dake") that no entry's name holds.
_TITLE_WORDS = {"dr", "dr.", "doctor", "prof", "prof.", "professor", "mr", "mrs", "ms"}


def entries_published() -> QuerySet[DirectoryEntry]:
    """Published entries with how many published stories each is linked to."""
    public = Story.objects.public().values("pk")
    return DirectoryEntry.objects.published().annotate(
        story_count=Count("story_links__story", filter=Q(story_links__story__in=public),
                          distinct=True)
    )


def entry_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries that published entries are in, by name."""
    codes = (DirectoryEntry.objects.published().exclude(country="").order_by()
             .values_list("country", flat=True).distinct())
    names = dict(countries)
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1])


def _lookup_words(q: str) -> list[str]:
    # Control characters (NUL above all: PostgreSQL refuses it in a query) are never part
    # of a name, so they are dropped rather than refused.
    text = "".join(" " if unicodedata.category(char) == "Cc" else char
                   for char in q[:LOOKUP_MAX_QUERY])
    words = [word for word in folded(text).split()
             if len(word) >= LOOKUP_MIN_WORD and word not in _TITLE_WORDS]
    return words[:LOOKUP_MAX_WORDS]


def entry_lookup(*, q: str, field: str) -> list[dict]:
    """Up to LOOKUP_LIMIT published entries matching every word typed, for the share form:
    `field` "who" searches names (and institutions), "where" centres, institutions and cities.
    Entries whose name starts with what was typed come first."""
    words = _lookup_words(q)
    if not words:
        return []
    column = "lookup_where" if field == "where" else "lookup_who"
    entries = DirectoryEntry.objects.published()
    for word in words:
        entries = entries.filter(**{f"{column}__contains": word})
    found = list(entries.order_by("name", "id")[: LOOKUP_LIMIT * 4])

    def rank(entry: DirectoryEntry) -> tuple[bool, bool]:
        name = folded(entry.name)
        return (not name.startswith(words[0]), f" {words[0]}" not in f" {name}")

    found.sort(key=rank)
    return [_lookup_item(entry, field) for entry in found[:LOOKUP_LIMIT]]


def _lookup_item(entry: DirectoryEntry, field: str) -> dict:
    place = entry.place_display()
    if field == "where":
        label = value = entry.where_value()
        detail = [place] if place else []
    else:
        label = value = entry.name
        detail = [str(entry.get_kind_display())]
        detail += [part for part in (entry.institution, place) if part]
    return {
        "label": label,
        "value": value,
        "detail": " · ".join(detail),
        "city": entry.city,
        "country": str(entry.country or ""),
        "place": place,
        "url": entry.get_absolute_url(),
    }


def entry_stories_public(entry: DirectoryEntry):
    """The published stories a moderator linked to this entry, newest first."""
    linked = StoryDirectoryLink.objects.filter(entry=entry).values("story_id")
    return Story.objects.public().filter(pk__in=linked).for_list()


@dataclass(frozen=True)
class ResultRow:
    code: str
    label: str
    count: int | None  # None: hidden (see outcomes.statistics.suppress_row)


@dataclass(frozen=True)
class EntryResults:
    threshold: int
    people: int | None
    rows: list[ResultRow]
    better: Proportion | None  # "better" among those who gave a result other than "too early"


def entry_results(entry: DirectoryEntry, *, threshold: int | None = None) -> EntryResults:
    """The overall result, as each person gave it when sharing, of the people whose counted
    stories are linked to this entry (the outcomes page's cohort: approved, consented to
    statistics, had the procedure), each person once (as the outcomes page tells them apart),
    with the result of their latest linked story. The page also lists the linked published
    stories with their results, so a person whose one linked story is published is public and
    the rest is protected: a count is shown when its protected part is 0 or at least the
    threshold, with enough others hidden (docs/disclosure.md)."""
    threshold = threshold or settings.SMALL_COUNT_THRESHOLD
    linked = StoryDirectoryLink.objects.filter(entry=entry).values("story_id")
    stories = list(counted_stories().filter(pk__in=linked).exclude(result="")
                   .order_by("submitted_at", "pk")
                   .values("author_id", "email", "result", "consent_publish"))
    accounts = confirmed_accounts(story["email"] for story in stories)
    of_person: dict[tuple, list[dict]] = {}
    for story in stories:
        of_person.setdefault(identity_of(story, accounts), []).append(story)
    counts = {code: 0 for code in Result.values}
    protected = dict(counts)
    for own in of_person.values():
        result = own[-1]["result"]
        if result in counts:
            counts[result] += 1
            if not (len(own) == 1 and own[0]["consent_publish"]):
                protected[result] += 1
    suppressed = publish_row(counts, protected, threshold)
    rows = [ResultRow(code, str(label), suppressed.cells[code]) for code, label in Result.choices]
    shown = suppressed.cells
    better = None
    if all(shown[code] is not None for code in (*BETTER, *NOT_BETTER)):
        n_better = sum(shown[code] for code in BETTER)
        n_judged = n_better + sum(shown[code] for code in NOT_BETTER)
        if n_judged:
            better = proportion(n_better, n_judged)
    return EntryResults(threshold=threshold, people=suppressed.total, rows=rows, better=better)
