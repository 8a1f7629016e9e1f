"""The overall results on an entry page: the outcomes page's counting rule and its small-count
suppression, and the note that these are self-reports."""

import itertools

import pytest
from django.test import override_settings

from directory.selectors import entry_results
from directory.tests.helpers import link, make_entry
from hindsight.testing import make_story
from outcomes.tests.helpers import release_figures
from stories.models import Story

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)
SELF_REPORT = "They cannot show whether the treatment works"


def _linked(entry, result: str, count: int, **fields) -> None:
    """Stories counted but not published, unless `consent_publish` says otherwise: their
    results are the protected part of each count (the page lists the published ones)."""
    fields.setdefault("consent_publish", False)
    for _ in range(count):
        # Each story its own person unless a test says otherwise.
        email = fields.get("email") or f"person-{next(_addresses)}@example.org"
        link(make_story(result=result, **{**fields, "email": email}), entry)


def test_with_fewer_people_than_the_threshold_no_number_is_shown(client):
    entry = make_entry()
    _linked(entry, "much_better", 9)

    results = entry_results(entry, threshold=10)
    assert results.people is None
    assert all(row.count is None for row in results.rows if row.code == "much_better")
    assert results.better is None

    release_figures()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Fewer than 10 people linked to this entry have agreed to be counted" in html
    assert "<table" not in html
    assert SELF_REPORT in html


def test_large_counts_are_shown_and_small_ones_hidden_with_a_protecting_one(client):
    entry = make_entry()
    _linked(entry, "much_better", 12)
    _linked(entry, "no_change", 11)
    _linked(entry, "much_worse", 3)

    results = entry_results(entry, threshold=10)
    counts = {row.code: row.count for row in results.rows}

    assert results.people == 26
    assert counts["much_worse"] is None  # 3: below the threshold
    # With one count hidden, the total would give it away: another is hidden too.
    assert sum(1 for value in counts.values() if value is None) >= 2
    assert counts["little_better"] == 0 and counts["too_early"] == 0
    assert results.better is None  # it would need the hidden counts

    release_figures()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "26 people are counted" in html
    assert "not shown (fewer than 10, or hidden to protect one)" in html
    assert ">3<" not in html


def test_the_share_better_comes_with_its_wilson_interval_when_every_count_is_shown(client):
    entry = make_entry()
    _linked(entry, "much_better", 10)
    _linked(entry, "no_change", 10)

    results = entry_results(entry, threshold=10)

    assert results.better.count == 10 and results.better.total == 20
    assert 0.29 < results.better.low < 0.30 and 0.70 < results.better.high < 0.71
    release_figures()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "50% (95% interval 30% to 70%)" in html


def test_only_the_outcomes_cohort_is_counted():
    entry = make_entry()
    _linked(entry, "much_better", 10)
    _linked(entry, "much_better", 1, consent_statistics=False)
    _linked(entry, "much_better", 1, status=Story.Status.PENDING)
    _linked(entry, "much_better", 1, procedure_status="considering")
    # Counted even when not published: the author agreed to statistics only.
    _linked(entry, "much_better", 1, consent_publish=False)
    make_story(result="much_better")  # not linked

    assert entry_results(entry, threshold=10).people == 11


def test_a_story_linked_twice_counts_once():
    entry = make_entry()
    for n in range(10):
        story = make_story(result="little_better", email=f"twice-{n}@example.org")
        link(story, entry, "treated_by")
        link(story, entry, "place")

    assert entry_results(entry, threshold=10).people == 10


@override_settings(SMALL_COUNT_THRESHOLD=3)
def test_the_page_uses_the_site_threshold(client):
    entry = make_entry()
    _linked(entry, "much_better", 3)

    release_figures()
    html = client.get(entry.get_absolute_url()).content.decode()

    assert "3 people are counted" in html


def test_published_stories_count_in_full_and_only_the_rest_is_protected(client):
    entry = make_entry()
    # 20 published stories said "much better": the page lists each with its result. 3 people
    # who agreed to statistics only also said so: 23 shown would give those 3 away.
    _linked(entry, "much_better", 20, consent_publish=True)
    _linked(entry, "much_better", 3)
    _linked(entry, "no_change", 4, consent_publish=True)

    counts = {row.code: row.count for row in entry_results(entry, threshold=10).rows}

    assert counts["much_better"] is None
    assert counts["no_change"] == 4  # all four are on the page already
    release_figures()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert ">23<" not in html and "27 people" not in html


def test_a_person_with_many_linked_stories_is_one_person(client):
    """Found by trying to break it: ten unpublished stories of one person showed as "10 people
    are counted", their result as a count of 10."""
    entry = make_entry()
    _linked(entry, "much_worse", 10, email="one@example.org")
    _linked(entry, "much_better", 12)

    results = entry_results(entry, threshold=10)

    assert results.people is None or results.people != 22
    counts = {row.code: row.count for row in results.rows}
    assert counts["much_worse"] is None  # one person: hidden
