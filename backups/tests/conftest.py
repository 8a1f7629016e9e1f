"""Backups are tested against a database as the site runs it: on SQLite, a real file in WAL
mode (the test database is otherwise in memory, where neither WAL nor a second writer exists);
on PostgreSQL, the test database on the throwaway server."""

import sqlite3
from pathlib import Path

import pytest
from django.db import connections

from hindsight.testing import tasks_run_by


@pytest.fixture
def journal(settings, tmp_path) -> Path:
    path = tmp_path / "journal" / "erasures.jsonl"
    settings.ERASURE_JOURNAL = path
    return path


@pytest.fixture
def live_database(transactional_db, tmp_path, settings, journal):
    """The default database, in a state where other threads can write while we copy it."""
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.TASKS = tasks_run_by("django_tasks_db.DatabaseBackend")
    wrapper = connections["default"]
    if wrapper.vendor != "sqlite":
        yield wrapper.settings_dict["NAME"]
        return
    wrapper.ensure_connection()
    memory, memory_name = wrapper.connection, wrapper.settings_dict["NAME"]
    path = tmp_path / "live.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)  # the migrated, empty test database
    copy.close()
    # Every thread's connection reads this same settings dict, so they all open the file.
    wrapper.connection = None
    wrapper.settings_dict["NAME"] = str(path)
    wrapper.ensure_connection()
    try:
        assert wrapper.cursor().execute("PRAGMA journal_mode").fetchone() == ("wal",)
        yield path
    finally:
        wrapper.close()
        wrapper.settings_dict["NAME"] = memory_name
        wrapper.connection = memory
