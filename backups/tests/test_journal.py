"""The erasure journal: every committed erasure, one line each, no address and no words."""

import json
import logging
import stat

import pytest
from django.core.checks import run_checks
from django.db import transaction

from accounts.models import ErasureRecord, email_fingerprint
from accounts.services import author_for_email, person_erase, story_erase
from backups.journal import Erasure, erasure_journal_append, erasure_journal_read
from backups.tests.helpers import comment
from hindsight.testing import make_story
from stories.models import Story

pytestmark = pytest.mark.django_db

EMAIL = "Xanthe.Morrow@Example.com"
WORDS = ["xanthe", "morrow", "Lantern-lit ward", "The fog lifted slowly"]


def lines(journal) -> list[dict]:
    return [json.loads(line) for line in journal.read_text().splitlines()]


def test_erasing_a_story_adds_one_line_once_it_is_committed(
    journal, django_capture_on_commit_callbacks
):
    story = make_story(email=EMAIL, display_name="Xanthe", title="Lantern-lit ward",
                       body="The fog lifted slowly.")
    story_id = story.pk

    with django_capture_on_commit_callbacks(execute=True):
        story_erase(story=story)

    [line] = lines(journal)
    record = ErasureRecord.objects.get()
    assert line == {
        "uid": str(record.uid), "erased_at": record.erased_at.isoformat(), "kind": "story",
        "email_hash": email_fingerprint(EMAIL), "story_ids": [story_id],
        "comments_kept": False,
    }
    assert record.kind == "story" and record.story_ids == [story_id]
    text = journal.read_text().lower()
    assert [word for word in WORDS if word.lower() in text] == []


def test_erasing_a_person_adds_a_line_for_each_address_with_every_story(
    journal, django_capture_on_commit_callbacks
):
    user = author_for_email(EMAIL)
    user.emailaddress_set.create(email="second@example.com", verified=True)
    first = make_story(author=user, email=EMAIL)
    second = make_story(email="second@example.com")
    story_ids = sorted([first.pk, second.pk])
    comment(first, email=EMAIL, body="The fog lifted slowly")

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=user, keep_comments_anonymously=True)

    entries = sorted(lines(journal), key=lambda entry: entry["email_hash"])
    assert sorted(entry["email_hash"] for entry in entries) == sorted(
        [email_fingerprint(EMAIL), email_fingerprint("second@example.com")]
    )
    for entry in entries:
        assert entry["kind"] == "person"
        assert entry["story_ids"] == story_ids
        assert entry["comments_kept"] is True
    assert "@" not in journal.read_text()


def test_the_journal_and_its_folder_are_made_for_the_owner_only(
    journal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_erase(story=make_story())

    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.parent.stat().st_mode) == 0o700


def test_an_erasure_rolled_back_leaves_no_line(journal, django_capture_on_commit_callbacks):
    story = make_story()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            story_erase(story=Story.objects.get(pk=story.pk))
            raise RuntimeError("something after it failed")

    assert not journal.exists()
    assert Story.objects.filter(pk=story.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_lines_are_appended_never_rewritten(journal, django_capture_on_commit_callbacks):
    journal.parent.mkdir(parents=True)
    journal.write_text('{"an": "older line"}\n')

    with django_capture_on_commit_callbacks(execute=True):
        story_erase(story=make_story())
        story_erase(story=make_story())

    raw = journal.read_text().splitlines()
    assert raw[0] == '{"an": "older line"}' and len(raw) == 3


def test_a_journal_that_cannot_be_written_does_not_undo_the_erasure(
    settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    settings.ERASURE_JOURNAL = tmp_path / "a-folder-not-a-file"
    settings.ERASURE_JOURNAL.mkdir()
    story = make_story()
    story_id = story.pk

    with caplog.at_level(logging.ERROR, logger="backups.journal"):
        with django_capture_on_commit_callbacks(execute=True):
            story_erase(story=story)

    assert not Story.objects.filter(pk=story_id).exists()
    assert ErasureRecord.objects.count() == 1
    assert "Could not append erasure" in caplog.text
    assert "@" not in caplog.text


def test_reading_skips_a_line_cut_short_and_counts_it(journal):
    entry = {"uid": "u1", "erased_at": "2026-01-02T03:04:05+00:00", "kind": "person",
             "email_hash": "a" * 64, "story_ids": [3, 4], "comments_kept": True}
    assert erasure_journal_append(entry, path=journal)
    with journal.open("a") as file:
        file.write('{"uid": "u2", "erased_at": "2026-01-0')  # a crash mid-write
        file.write('\n{"uid": "u3", "erased_at": "2026-01-02T03:04:05", "kind": "person", '
                   '"email_hash": "' + "b" * 64 + '"}\n')  # no time zone: unusable
        file.write('["not", "an", "erasure"]\n')

    read = erasure_journal_read(journal)

    assert read.found and read.unreadable_lines == 3
    [erasure] = read.erasures
    assert erasure == Erasure.from_entry(entry)
    assert erasure.story_ids == (3, 4) and erasure.comments_kept is True


def test_a_missing_journal_reads_as_empty(journal):
    read = erasure_journal_read(journal)

    assert not read.found and read.erasures == []


def test_a_journal_that_cannot_be_made_is_reported_by_the_system_checks(settings, tmp_path):
    (tmp_path / "a-file").write_text("")
    settings.ERASURE_JOURNAL = tmp_path / "a-file" / "erasures.jsonl"

    assert "backups.W001" in [message.id for message in run_checks()]

    settings.ERASURE_JOURNAL = tmp_path / "new-folder" / "erasures.jsonl"
    assert "backups.W001" not in [message.id for message in run_checks()]
