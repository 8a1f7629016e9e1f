"""`manage.py restore`: the backup comes back, and everyone who left since stays gone."""

import io
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import ErasureRecord
from accounts.services import person_erase, story_erase
from backups.tests.helpers import backup, comment, found_anywhere, restore, submit
from discussion.models import Comment, Commenter
from hindsight.testing import make_treatment
from stories.models import Story
from stories.services import story_confirm_email

LEAVER = "leaving.person@example.com"
STAYER = "staying.person@example.com"
LEAVER_WORDS = "Quillwort afternoons by the estuary"
LEAVER_NAME = "Oriel Farthingale"
LEAVER_STORY = "Marram grass and warm hands"


@pytest.fixture
def people(live_database):
    """Someone who stays (one story), and someone who will leave: an account from a confirmed
    story, a second story never confirmed, and a comment on the first person's story."""
    treatment = make_treatment()
    stays = submit(treatment, 1, email=STAYER)
    shared = story_confirm_email(story=submit(
        treatment, 2, email=LEAVER, display_name=LEAVER_NAME, title=LEAVER_STORY
    ))
    unconfirmed = submit(treatment, 3, email=LEAVER, display_name=LEAVER_NAME)
    comment(stays, email=LEAVER, body=LEAVER_WORDS)
    return {"stays": stays, "leaver": shared.author, "shared": shared,
            "unconfirmed": unconfirmed}


def journal_lines(journal) -> list[dict]:
    return [json.loads(line) for line in journal.read_text().splitlines()]


def assert_leaver_gone() -> None:
    assert not Story.objects.filter(email=LEAVER).exists()
    assert not EmailAddress.objects.filter(email=LEAVER).exists()
    assert not get_user_model().objects.filter(email=LEAVER).exists()
    assert not Commenter.objects.filter(email=LEAVER).exists()
    assert not Comment.objects.filter(body=LEAVER_WORDS).exists()
    assert found_anywhere(LEAVER, LEAVER_NAME, LEAVER_STORY, LEAVER_WORDS) == []


def test_someone_erased_after_the_backup_is_not_brought_back(people, journal, tmp_path):
    everything = [LEAVER, LEAVER_NAME, LEAVER_STORY, LEAVER_WORDS]
    assert len(found_anywhere(*everything)) >= len(everything)  # the scan sees them
    path = backup(tmp_path / "before")
    person_erase(user=people["leaver"])
    erasure = ErasureRecord.objects.get()
    assert len(journal_lines(journal)) == 1

    output = restore(path)

    assert_leaver_gone()
    assert list(Story.objects.values_list("email", flat=True)) == [STAYER]
    assert ErasureRecord.objects.get().uid == erasure.uid  # recorded as it was, once
    assert ErasureRecord.objects.get().erased_at == erasure.erased_at
    assert len(journal_lines(journal)) == 1  # applying it again wrote no second line
    assert "Applied again: 1 erasure(s), removing 1 account(s), 2 story(ies)" in output
    assert LEAVER not in output and "@" not in output


def test_a_story_erased_after_the_backup_is_not_brought_back(people, tmp_path):
    path = backup(tmp_path / "before")
    story_erase(story=people["shared"])

    restore(path)

    assert not Story.objects.filter(pk=people["shared"].pk).exists()
    assert found_anywhere(LEAVER_STORY) == []
    # The rest of that person stays: they erased one story, not themselves.
    assert Story.objects.filter(pk=people["unconfirmed"].pk).exists()
    assert get_user_model().objects.filter(pk=people["leaver"].pk).exists()
    assert Comment.objects.filter(body=LEAVER_WORDS).exists()


def test_the_journal_alone_brings_the_erasure_back_when_the_database_lost_it(
    people, journal, tmp_path
):
    path = backup(tmp_path / "before")
    person_erase(user=people["leaver"])
    ErasureRecord.objects.all().delete()  # as if the live database were lost with it

    output = restore(path)

    assert_leaver_gone()
    assert "Erasures known: 1 (1 in the journal; 0 in the live database)" in output
    assert ErasureRecord.objects.count() == 1


def test_the_live_database_alone_is_enough_when_the_journal_is_missing(
    people, journal, tmp_path
):
    path = backup(tmp_path / "before")
    person_erase(user=people["leaver"])
    journal.unlink()

    output = restore(path)

    assert_leaver_gone()
    assert "(no journal file; 1 in the live database)" in output


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_restoring_after_the_database_file_is_lost_still_applies_the_erasures(
    people, journal, tmp_path, live_database
):
    path = backup(tmp_path / "before")
    person_erase(user=people["leaver"])
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        live_database.with_name(live_database.name + suffix).unlink(missing_ok=True)

    output = restore(path)

    assert_leaver_gone()
    assert Story.objects.filter(email=STAYER).exists()
    assert "the live database could not be read" in output


def test_an_erasure_older_than_the_backup_is_not_applied_again(people, tmp_path):
    """Someone who left and later came back: the backup already holds both, so their new story
    must survive the restore."""
    person_erase(user=people["leaver"])
    returned = submit(make_treatment(), 4, email=LEAVER)
    path = backup(tmp_path / "after-they-came-back")

    output = restore(path)

    assert Story.objects.filter(pk=returned.pk).exists()
    assert "Applied again: 0 erasure(s)" in output
    assert "1 already in the backup" in output


def test_a_table_newer_than_the_backup_is_made_again_empty(people, tmp_path):
    path = backup(tmp_path / "before")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE backups_newer (id integer PRIMARY KEY, note text)")
        cursor.execute("INSERT INTO backups_newer VALUES (1, 'written after the backup')")

    restore(path)

    assert "backups_newer" not in connection.introspection.table_names()
    assert Story.objects.count() == 3


# Refusals: each leaves the live database exactly as it was.


@pytest.fixture
def backed_up(people, tmp_path):
    path = tmp_path / "copy"
    backup(path)
    later = submit(make_treatment(), 9, email="later@example.com")
    return path, later


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_restore_refuses_without_yes_when_nobody_can_confirm(backed_up, monkeypatch):
    path, later = backed_up
    monkeypatch.setattr("sys.stdin", io.StringIO("restore\n"))

    with pytest.raises(CommandError, match="without --yes"):
        call_command("restore", str(path), stdout=io.StringIO())

    assert Story.objects.filter(pk=later.pk).exists()


@pytest.mark.parametrize("answer, restored", [("no\n", False), ("restore\n", True)])
def test_restore_at_a_terminal_asks_first(backed_up, monkeypatch, answer, restored):
    path, later = backed_up
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    out = io.StringIO()

    if restored:
        call_command("restore", str(path), stdout=out)
    else:
        with pytest.raises(CommandError, match="Nothing was restored"):
            call_command("restore", str(path), stdout=out)

    assert Story.objects.filter(pk=later.pk).exists() is not restored


def _edit_manifest(path, **changes) -> None:
    manifest = path.with_name(path.name + ".json")
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), **changes}))


@pytest.mark.parametrize("spoil, message", [
    (lambda path: path.open("ab").write(b"\0"), "does not match its manifest"),
    (lambda path: path.write_bytes(path.read_bytes()[:-4096]), "does not match its manifest"),
    (lambda path: path.with_name(path.name + ".json").unlink(), "is missing"),
    (lambda path: path.with_name(path.name + ".json").write_text("{"), "not a backup manifest"),
    (lambda path: _edit_manifest(path, migrations={"accounts": "0999_from_the_future"}),
     "newer version"),
    (lambda path: _edit_manifest(path, vendor="oracle"), "This is a oracle backup"),
], ids=["grown", "cut-short", "no-manifest", "broken-manifest", "newer-code", "other-database"])
def test_a_backup_that_cannot_be_trusted_is_refused(backed_up, spoil, message):
    path, later = backed_up
    spoil(path)

    with pytest.raises(CommandError, match=message):
        restore(path)

    assert Story.objects.filter(pk=later.pk).exists()


def test_a_journal_that_cannot_be_read_stops_the_restore_before_anything_changes(
    backed_up, journal, monkeypatch
):
    path, later = backed_up
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text("")

    def unreadable(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(journal), "read_bytes", unreadable)

    with pytest.raises(CommandError, match="journal cannot be read"):
        restore(path)

    assert Story.objects.filter(pk=later.pk).exists()
