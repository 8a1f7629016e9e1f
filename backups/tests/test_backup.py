"""`manage.py backup`: a consistent copy while the site writes, with a manifest beside it."""

import hashlib
import json
import re
import stat
import threading
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backups.tests.helpers import Writer, backup, restore, submit
from hindsight.testing import make_treatment
from stories.models import Story, StoryConsent


def _integrity_problems() -> list:
    """SQLite's own checks of the live database after a restore; PostgreSQL enforces its
    foreign keys while pg_restore loads, so a restore that succeeded passed them."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        integrity = cursor.fetchall()
        cursor.execute("PRAGMA foreign_key_check")
        foreign_keys = cursor.fetchall()
    return ([] if integrity == [("ok",)] else integrity) + foreign_keys


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_taken_while_stories_keep_coming_restores_a_whole_prefix(
    live_database, tmp_path
):
    treatment = make_treatment()
    writer = Writer(treatment)
    writer.start()
    writer.wait_for(10)
    before = len(writer.committed)
    path = backup(tmp_path / "during-load" / "copy")
    after = len(writer.committed)
    writer.wait_for(after + 10)
    written = writer.finish()
    assert Story.objects.count() == len(written)

    restore(path)

    restored = sorted(Story.objects.values_list("pk", flat=True))
    assert before <= len(restored) <= after
    assert restored == written[: len(restored)]  # no story skipped, none from after the copy
    for story in Story.objects.all():  # and none half-written
        assert StoryConsent.objects.filter(story=story).count() == 2
    queued = [task.args_kwargs["args"] for task in DBTaskResult.objects.all()]
    assert sorted(queued) == [[pk, "confirm"] for pk in restored]
    assert _integrity_problems() == []


def test_a_story_still_being_written_is_not_in_the_backup(live_database, tmp_path):
    treatment = make_treatment()
    submit(treatment, 1)
    saved, release = threading.Event(), threading.Event()
    failures = []

    def write_slowly():
        try:
            with transaction.atomic():
                story = submit(treatment, 2)
                saved.set()
                assert release.wait(10)
                StoryConsent.objects.filter(story=story).update(version="written late")
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=write_slowly)
    thread.start()
    assert saved.wait(10)
    path = backup(tmp_path / "mid-write")
    release.set()
    thread.join(10)
    assert not failures
    assert Story.objects.count() == 2

    restore(path)

    assert list(Story.objects.values_list("title", flat=True)) == ["Story number 1"]
    assert not StoryConsent.objects.filter(version="written late").exists()
    assert _integrity_problems() == []


def test_the_manifest_says_what_the_copy_is(live_database, settings):
    submit(make_treatment(), 1)
    started = timezone.now()

    path = backup()

    copy = settings.BACKUP_DIR / path.rsplit("/", 1)[-1]
    assert str(copy) == path and copy.parent == settings.BACKUP_DIR
    manifest = json.loads((copy.parent / (copy.name + ".json")).read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["size"] == copy.stat().st_size > 0
    assert manifest["sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert manifest["file"] == copy.name
    assert manifest["migrations"]["accounts"] == "0002_erasure_replay"
    assert manifest["migrations"]["stories"].startswith("00")
    created = datetime.fromisoformat(manifest["created_at"])
    assert started <= created <= started + timedelta(seconds=30)
    assert re.fullmatch(r"hindsight-\d{8}T\d{6}\.\d{6}Z\.(sqlite3|pgdump)", copy.name)


def test_backups_are_readable_by_their_owner_only(live_database, settings):
    path = backup()

    copy = settings.BACKUP_DIR / path.rsplit("/", 1)[-1]
    assert mode(settings.BACKUP_DIR) == 0o700
    assert mode(copy) == 0o600
    assert mode(copy.parent / (copy.name + ".json")) == 0o600
    assert sorted(p.name for p in settings.BACKUP_DIR.iterdir()) == [
        copy.name, copy.name + ".json"
    ]  # no temporary file left behind


def test_a_backup_never_replaces_an_existing_file(live_database, tmp_path):
    existing = tmp_path / "precious"
    existing.write_text("not a backup")

    with pytest.raises(CommandError, match="already exists"):
        backup(existing)

    assert existing.read_text() == "not a backup"
    assert not (tmp_path / "precious.json").exists()


def test_a_backup_never_replaces_an_existing_manifest(live_database, tmp_path):
    (tmp_path / "copy.json").write_text("someone's notes")

    with pytest.raises(CommandError, match="already exists"):
        backup(tmp_path / "copy")

    assert (tmp_path / "copy.json").read_text() == "someone's notes"
    assert not (tmp_path / "copy").exists()


def test_output_to_a_folder_gives_a_stamped_name_inside_it(live_database, tmp_path):
    first = backup(tmp_path)
    second = backup(tmp_path)

    assert first != second
    for path in (first, second):
        assert path.startswith(str(tmp_path / "hindsight-"))
        assert (tmp_path / (path.rsplit("/", 1)[-1] + ".json")).exists()
