"""Dated releases (docs/disclosure.md, "Releases"): every published number is read from the
latest release, which changes only when at least the threshold of people's reports changed.
Checked from the outside: what a reader fetches over HTTP, what the command says, and a second
release made by another process while one computes."""

import io
import re

import pytest
from django.core.management import call_command

from directory.models import DirectoryEntry
from directory.tests.helpers import link, make_entry
from hindsight.testing import make_moderator, make_treatment
from outcomes import releases
from outcomes.models import OutcomesRelease
from outcomes.tests.helpers import counted_person, release_figures
from stories import services

pytestmark = pytest.mark.django_db

THRESHOLD = 10  # the test settings' SMALL_COUNT_THRESHOLD


def _everything_published(client, treatment, entry=None) -> dict[str, bytes]:
    """All a reader can fetch about the numbers: the page, each chart and every download."""
    base = f"/outcomes/{treatment.slug}/"
    page = client.get(base).content
    paths = [base, f"{base}better-over-time.svg", f"{base}benefit-lasting.svg",
             *sorted(set(re.findall(r'href="(/outcomes/[^"]+/data/[^"]+)"', page.decode())))]
    if entry is not None:
        paths.append(entry.get_absolute_url())
    return {path: client.get(path).content for path in paths}


def _entry_with_stories(stories) -> DirectoryEntry:
    entry = make_entry()
    for story in stories:
        link(story, entry)
    return entry


def test_before_the_first_release_the_page_says_so_and_nothing_is_published(client):
    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)

    page = client.get(f"/outcomes/{treatment.slug}/")

    assert page.status_code == 200
    assert "No figures have been released yet" in page.content.decode()
    assert client.get(f"/outcomes/{treatment.slug}/data/over-time.json").status_code == 404
    assert client.get(f"/outcomes/{treatment.slug}/better-over-time.svg").status_code == 404


def test_a_release_is_refused_until_enough_people_changed_and_nothing_published_moves(client):
    treatment = make_treatment()
    people = [counted_person(treatment, better_at_3=True, followups=[(6, "much_better")])
              for _ in range(24)]
    entry = _entry_with_stories(people[:12])
    assert "Released figures" in release_figures()
    before = _everything_published(client, treatment, entry)
    assert "24 people" in before[f"/outcomes/{treatment.slug}/"].decode()

    # Nine people change (one leaves, one is rejected, seven join): not enough.
    services.story_withdraw(story=people[0])
    services.story_reject(story=people[1], moderator=make_moderator(), reason="identifying")
    for _ in range(7):
        counted_person(treatment, better_at_3=False)
    said = release_figures()

    assert "fewer than 10 people's reports changed" in said and "at most 9 people" in said
    assert _everything_published(client, treatment, entry) == before  # byte for byte

    counted_person(treatment, better_at_3=False)  # the tenth
    assert "Released figures" in release_figures()
    after = _everything_published(client, treatment, entry)
    assert after != before
    assert "30 people" in after[f"/outcomes/{treatment.slug}/"].decode()


def test_nothing_changed_means_no_new_release():
    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    release_figures()

    assert "Nothing has changed" in release_figures()
    assert OutcomesRelease.objects.count() == 1


def test_the_page_and_downloads_say_which_release_they_come_from(client):
    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    release_figures()
    release = OutcomesRelease.objects.get()

    html = client.get(f"/outcomes/{treatment.slug}/").content.decode()
    download = client.get(f"/outcomes/{treatment.slug}/data/over-time.json")

    assert f"Figures as of {release.released_at:%-d %B %Y}" in html
    assert download.json()["figures_as_of"] == release.released_at.isoformat()
    assert download.json()["release"] == 1
    assert f"over-time-{release.released_at:%Y-%m-%d}.json" in download["Content-Disposition"]


def test_the_directory_shows_released_results_only(client):
    treatment = make_treatment()
    stories = [counted_person(treatment, better_at_3=True) for _ in range(12)]
    entry = _entry_with_stories(stories)

    assert "No figures for this entry have been released yet" in client.get(
        entry.get_absolute_url()).content.decode()
    release_figures()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "12 people are counted" in html and "Figures as of" in html


def test_two_releases_made_at_once_do_not_both_follow_the_same_one(monkeypatch):
    """Another process releases while this one computes: only one of the two lands, so no two
    releases can differ by fewer than the threshold of people."""
    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    computing = releases._compute

    def another_process_releases_meanwhile(pages, keys):
        figures = computing(pages, keys)
        OutcomesRelease.objects.create(number=1, released_at="2026-01-01T00:00Z",
                                       trigger="command", format=releases.RELEASE_FORMAT,
                                       people=12, people_changed=12)
        return figures

    monkeypatch.setattr(releases, "_compute", another_process_releases_meanwhile)
    said = release_figures()

    assert "Another release was made at the same moment" in said
    assert OutcomesRelease.objects.count() == 1


def test_a_release_of_an_older_format_is_not_read_and_the_next_run_replaces_it(client):
    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    release_figures()
    OutcomesRelease.objects.update(format=releases.RELEASE_FORMAT - 1)

    assert "No figures have been released yet" in client.get(
        f"/outcomes/{treatment.slug}/").content.decode()
    assert "Released figures" in release_figures()
    assert "12 people" in client.get(f"/outcomes/{treatment.slug}/").content.decode()


def test_the_stored_digests_hold_no_address_and_only_the_latest_keeps_them():
    treatment = make_treatment()
    people = [counted_person(treatment, better_at_3=True) for _ in range(12)]
    release_figures()
    for _ in range(10):
        counted_person(treatment, better_at_3=False)
    release_figures()

    first, latest = OutcomesRelease.objects.order_by("number")
    assert bytes(first.digests) == b""
    stored = releases._unpacked(latest.digests)
    assert set(stored) == {f"treatment:{treatment.pk}"}
    assert len(stored[f"treatment:{treatment.pk}"]) == 22
    assert people[0].email not in str(stored) and "example.org" not in str(stored)


def test_load_demo_releases_what_it_loaded(client):
    out = io.StringIO()
    call_command("load_demo", stories=30, statistics_only=40, stdout=out)

    assert "Released figures" in out.getvalue()
    assert "Figures as of" in client.get("/outcomes/ccsvi-venoplasty/").content.decode()


def test_a_moderator_can_ask_for_a_release_and_is_told_when_the_rules_refuse_it(client):
    from django.contrib.auth import get_user_model

    from hindsight.testing import sign_in_moderator

    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    sign_in_moderator(client, make_moderator())
    listing = "/moderation/outcomes/outcomesrelease/"

    assert "Release the figures now" in client.get(listing).content.decode()
    assert client.get(f"{listing}release/").status_code == 405
    first = client.post(f"{listing}release/", follow=True).content.decode()
    assert "Released figures as of" in first
    assert OutcomesRelease.objects.get().trigger == "moderator"
    counted_person(treatment, better_at_3=False)
    second = client.post(f"{listing}release/", follow=True).content.decode()
    assert "Not released" in second and "at most 1 person," in second
    assert OutcomesRelease.objects.count() == 1

    staff = get_user_model().objects.create_user("helper", "helper@example.invalid",
                                                 "a-long-test-password-1", is_staff=True)
    client.logout()
    sign_in_moderator(client, staff)
    assert client.post(f"{listing}release/").status_code == 403
    assert OutcomesRelease.objects.count() == 1


def test_stories_nobody_confirmed_are_no_change():
    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    release_figures()
    for _ in range(10):
        counted_person(treatment, better_at_3=True, status="unconfirmed")

    assert "Nothing has changed" in release_figures()


def test_each_page_changes_only_with_enough_of_its_own_people(client):
    """One person leaves treatment A while nine join treatment B: ten people changed on the
    site, but A's page must not show the one."""
    a = make_treatment()
    b = make_treatment(slug="other", name="Other")
    people_a = [counted_person(a, better_at_3=True) for _ in range(24)]
    for _ in range(12):
        counted_person(b, better_at_3=True)
    release_figures()
    page_a = _everything_published(client, a)

    services.story_withdraw(story=people_a[0])
    for _ in range(9):
        counted_person(b, better_at_3=False)
    assert "at most 9 people" in release_figures()
    counted_person(b, better_at_3=False)
    said = release_figures()

    assert "1 page updated, 1 kept" in said
    assert _everything_published(client, a) == page_a  # still 24: the one waits for nine more
    assert "22 people" in client.get(f"/outcomes/{b.slug}/").content.decode()
    for _ in range(9):
        counted_person(a, better_at_3=False)
    assert "1 page updated, 1 kept" in release_figures()
    assert "32 people" in client.get(f"/outcomes/{a.slug}/").content.decode()


def test_changes_no_figure_reads_are_no_change():
    """Edits of waiting stories' words and symptoms, and an account made for an address, change
    no published number, so they cannot make up the threshold."""
    from accounts.services import author_for_email
    from stories.models import Story

    treatment = make_treatment()
    people = [counted_person(treatment, better_at_3=True) for _ in range(12)]
    waiting = [counted_person(treatment, better_at_3=True, status="pending") for _ in range(9)]
    release_figures()

    for story in waiting:
        Story.objects.filter(pk=story.pk).update(title="Edited", symptoms={"fatigue": "worse"},
                                                 body="New words")
    for story in people[:5]:
        story.author = author_for_email(story.email)
        story.save()

    assert "Nothing has changed" in release_figures()


def test_a_new_rejection_reason_is_a_change():
    from stories.models import Story

    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    story = counted_person(treatment, better_at_3=True, status="pending")
    services.story_reject(story=story, moderator=make_moderator(), reason="identifying")
    release_figures()
    Story.objects.filter(pk=story.pk).update(status="pending")
    services.story_reject(story=story, moderator=make_moderator("mod2"), reason="spam")

    assert "at most 1 person," in release_figures()


def test_data_that_moves_while_the_figures_are_computed_is_computed_again(monkeypatch, client):
    """Nine people withdraw while a release computes: the release must describe what it
    published, so that one more withdrawal later is still only one change."""
    treatment = make_treatment()
    people = [counted_person(treatment, better_at_3=True) for _ in range(40)]
    release_figures()
    for _ in range(10):
        counted_person(treatment, better_at_3=False)
    computing = releases._compute
    calls = []

    def nine_withdraw_meanwhile(pages, keys):
        figures = computing(pages, keys)
        if not calls:
            for story in people[:9]:
                services.story_withdraw(story=story)
        calls.append(keys)
        return figures

    monkeypatch.setattr(releases, "_compute", nine_withdraw_meanwhile)
    assert "Released figures" in release_figures()
    monkeypatch.undo()

    assert len(calls) == 2
    assert "41 people" in client.get(f"/outcomes/{treatment.slug}/").content.decode()
    services.story_withdraw(story=people[9])
    assert "at most 1 person," in release_figures()


def test_figures_that_cannot_be_read_are_not_shown_and_computed_again(client):
    from outcomes.models import ReleasedFigures

    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    release_figures()
    ReleasedFigures.objects.update(payload=b"not a pickle")

    page = client.get(f"/outcomes/{treatment.slug}/")
    assert page.status_code == 200 and "No figures have been released yet" in page.content.decode()
    assert client.get(f"/outcomes/{treatment.slug}/data/groups.csv").status_code == 404

    assert "Released figures" in release_figures()
    assert "12 people" in client.get(f"/outcomes/{treatment.slug}/").content.decode()


def _entry_count(client, entry) -> str:
    html = client.get(entry.get_absolute_url()).content.decode()
    found = re.search(r'<p id="results-count">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("away", ["unpublished", "unlinked"])
def test_an_entry_page_that_goes_and_comes_back_is_gated_on_what_it_last_showed(client, away):
    """Found by trying to break it: the entry went for one release and came back computed from
    scratch, one withdrawal showing on its own."""
    from directory.models import DirectoryEntry, StoryDirectoryLink

    treatment = make_treatment()
    people = [counted_person(treatment, better_at_3=True) for _ in range(12)]
    entry = _entry_with_stories(people)
    release_figures()
    before = _entry_count(client, entry)
    assert "12 people are counted" in before

    services.story_set_consent(story=people[0], purpose="statistics", granted=False)
    assert "Not released" in release_figures()
    if away == "unpublished":
        DirectoryEntry.objects.filter(pk=entry.pk).update(status=DirectoryEntry.Status.DRAFT)
        release_figures()
        DirectoryEntry.objects.filter(pk=entry.pk).update(
            status=DirectoryEntry.Status.PUBLISHED)
    else:
        saved = list(StoryDirectoryLink.objects.filter(entry=entry).values_list("story_id",
                                                                                 "role"))
        StoryDirectoryLink.objects.filter(entry=entry).delete()
        release_figures()
        assert "No figures for this entry have been released yet" in client.get(
            entry.get_absolute_url()).content.decode()
        StoryDirectoryLink.objects.bulk_create(
            StoryDirectoryLink(entry=entry, story_id=story, role=role) for story, role in saved)
    release_figures()

    assert _entry_count(client, entry) == before


def test_a_second_link_to_the_same_entry_is_no_change():
    from directory.models import StoryDirectoryLink
    from outcomes.models import OutcomesRelease

    treatment = make_treatment()
    people = [counted_person(treatment, better_at_3=True) for _ in range(20)]
    entry = _entry_with_stories(people)
    release_figures()
    for story in people[:9]:
        services.story_withdraw(story=story)
    link(people[19], entry, role=StoryDirectoryLink.Role.PLACE)
    release_figures()  # the treatment page has 9 changes too: nothing is released

    latest = OutcomesRelease.objects.order_by("-number").first()
    assert latest.figures.get(key=releases.entry_key(entry.pk)).computed_in == 1


def test_a_site_with_no_treatment_has_nothing_to_release():
    assert "Nothing to release: there is no treatment yet." in release_figures()
    assert not OutcomesRelease.objects.exists()
