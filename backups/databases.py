"""Copying the live database out to a file and back, for each database Hindsight runs on:
SQLite through its online backup API (never a file copy, which could catch a write half-done),
PostgreSQL through pg_dump and pg_restore."""

import os
import re
import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, without personal data."""


# SQLite.


def sqlite_backup(connection: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the live database into `target` (an empty file) in one step: one read transaction,
    so the copy is the database as it was at one moment, while other connections go on
    writing (WAL mode)."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        with connection.wrap_database_errors:
            connection.connection.backup(copy)
        # A backup is one self-contained file, never with a -wal file beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def sqlite_migrations(path: Path) -> dict[str, str]:
    copy = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    try:
        rows = copy.execute("SELECT app, name FROM django_migrations").fetchall()
    finally:
        copy.close()
    return _latest(rows)


def sqlite_check(path: Path) -> None:
    """Refuse a file that is not a sound SQLite database before anything is replaced."""
    try:
        copy = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
        try:
            result = copy.execute("PRAGMA quick_check").fetchall()
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database ({exc}).") from exc
    if result != [("ok",)]:
        raise BackupError(f"{path} fails SQLite's quick_check; it was not restored.")


def sqlite_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    """Write the backup over the live database through the live connection (SQLite's backup
    API again), so other connections see the restored data, never a swapped file."""
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    backup = sqlite3.connect(source.as_uri() + "?mode=ro", uri=True)
    try:
        with connection.wrap_database_errors:
            backup.backup(connection.connection)
    finally:
        backup.close()


# PostgreSQL.


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path))


def pg_tool(name: str) -> str:
    """PostgreSQL's client program `name`: from the PATH, else the newest installed under
    /usr/lib/postgresql (as scripts/with-postgres finds initdb)."""
    if found := shutil.which(name):
        return found
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    if not candidates:
        raise BackupError(f"PostgreSQL's {name} was not found; install postgresql-client.")
    return candidates[-1]


def pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """How pg_dump and pg_restore reach the database Django uses. Everything goes through the
    environment, the password in PGPASSWORD: never on a command line, where `ps` shows it."""
    from django.db.backends.postgresql.client import DatabaseClient

    settings_dict = connection.settings_dict
    # Django's own dbshell mapping: password, SSL files, service and passfile.
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(extra or {})}
    for setting, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                              ("NAME", "PGDATABASE")):
        if value := settings_dict.get(setting):
            env[variable] = str(value)
    return env


def _run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, check=False, **kwargs)
    except OSError as exc:
        raise BackupError(f"Could not run {command[0]}: {exc}") from exc
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}): {message}")
    return result


def postgres_backup(connection: BaseDatabaseWrapper, target: BinaryIO) -> None:
    """pg_dump's custom format: one snapshot of the whole database, taken without stopping
    writers."""
    _run([pg_tool("pg_dump"), "--format=custom", "--no-password"],
         pg_environment(connection), stdout=target)


def postgres_applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return _latest(cursor.fetchall())


def postgres_check(path: Path) -> set[str]:
    """The tables a dump holds; refuses a file pg_restore cannot read."""
    listing = _run([pg_tool("pg_restore"), "--list", str(path)], dict(os.environ),
                   stdout=subprocess.PIPE)
    tables = set()
    for line in listing.stdout.decode(errors="replace").splitlines():
        if match := re.match(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", line):
            tables.add(match.group(2))
    return tables


def postgres_restore(connection: BaseDatabaseWrapper, source: Path) -> int:
    """Restore the dump over the live database in one transaction. Tables the live database
    has and the dump does not (made by migrations newer than the backup) are dropped first,
    so `migrate` can make them again empty; returns how many."""
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    dumped = postgres_check(source)
    extra = sorted(set(connection.introspection.table_names()) - dumped)
    if extra:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for table in extra:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    # Hold no connection (and so no lock) while pg_restore drops and makes the tables.
    connection.close()
    _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--no-password", "--dbname", connection.settings_dict["NAME"], str(source)],
         pg_environment(connection), stdout=subprocess.DEVNULL)
    return len(extra)


def _latest(rows) -> dict[str, str]:
    """The latest applied migration of each app (migration names start with their number)."""
    latest: dict[str, str] = {}
    for app, name in rows:
        if name > latest.get(app, ""):
            latest[app] = name
    return latest
