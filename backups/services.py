"""Backups of the live database and restores that never bring back an erased person."""

import hashlib
import json
import os
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from backups import databases
from backups.databases import BackupError
from backups.replay import KnownErasures, ReplayReport, erasure_replay, erasures_known
from outcomes.tallies import rebuild_moderation_tallies

SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    """What a backup is, written beside it as `<backup>.json`."""

    created_at: datetime  # taken before the copy began: erasures from then on are replayed
    vendor: str
    sha256: str
    size: int
    migrations: dict[str, str]  # the latest applied migration of each app
    file: str
    format: int = MANIFEST_FORMAT

    def as_json(self) -> str:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


@dataclass
class RestoreReport:
    manifest: Manifest
    known: KnownErasures
    replay: ReplayReport
    tables_dropped: int
    stories: int


def backup_folder() -> Path:
    return Path(settings.BACKUP_DIR)


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _target(output: Path | None, vendor: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    name = f"hindsight-{stamp}{SUFFIXES[vendor]}"
    if output is None:
        folder = backup_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        return folder / name
    output = Path(output)
    if output.is_dir():
        return output / name
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return output


def _reserve(path: Path) -> None:
    """Claim the name (0600) so no backup ever replaces another file."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError as exc:
        raise BackupError(f"{path} already exists; choose another name.") from exc
    except OSError as exc:
        raise BackupError(f"Cannot write {path}: {exc.strerror}.") from exc


def backup_create(*, output: Path | None = None) -> Path:
    """Copy the live database to a new file (default: a UTC-stamped name in BACKUP_DIR) with
    its manifest beside it. The copy is written under a temporary name and only then given
    its own, so a copy that exists is whole."""
    vendor = connection.vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    target = _target(output, vendor)
    manifest_file = manifest_path(target)
    _reserve(target)
    try:
        _reserve(manifest_file)
    except BackupError:
        target.unlink()
        raise
    partial = target.with_name(f".{target.name}.partial")
    done = False
    try:
        partial.unlink(missing_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        created_at = timezone.now()
        if vendor == "sqlite":
            os.close(fd)
            databases.sqlite_backup(connection, partial)
            migrations = databases.sqlite_migrations(partial)
        else:
            migrations = databases.postgres_applied_migrations(connection)
            with os.fdopen(fd, "wb") as file:
                databases.postgres_backup(connection, file)
        _fsync(partial)
        os.replace(partial, target)
        manifest = Manifest(created_at=created_at, vendor=vendor, sha256=_sha256(target),
                            size=target.stat().st_size, migrations=migrations, file=target.name)
        manifest_file.write_text(manifest.as_json())
        _fsync(manifest_file)
        _fsync(target.parent)
        done = True
    except (DatabaseError, sqlite3.Error, OSError) as exc:
        raise BackupError(f"The backup failed: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
        if not done:
            target.unlink(missing_ok=True)
            manifest_file.unlink(missing_ok=True)
    return target


def manifest_read(backup: Path) -> Manifest:
    path = manifest_path(backup)
    try:
        data = json.loads(path.read_text())
        manifest = Manifest(
            created_at=datetime.fromisoformat(data["created_at"]), vendor=str(data["vendor"]),
            sha256=str(data["sha256"]), size=int(data["size"]),
            migrations={str(app): str(name) for app, name in data["migrations"].items()},
            file=str(data["file"]), format=int(data["format"]),
        )
    except FileNotFoundError as exc:
        raise BackupError(
            f"{path} is missing: without it there is no telling which erasures came after the "
            "backup, so it is not restored."
        ) from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"{path} is not a backup manifest this version can read.") from exc
    if manifest.format != MANIFEST_FORMAT or manifest.created_at.tzinfo is None:
        raise BackupError(f"{path} is not a backup manifest this version can read.")
    return manifest


def backup_verify(backup: Path) -> Manifest:
    """Everything that can be checked before the live data is touched: the manifest, the
    file's size and hash, the database kind, and that this code knows every migration the
    backup had applied."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"{backup} is not a file.")
    manifest = manifest_read(backup)
    vendor = connection.vendor
    if manifest.vendor != vendor:
        raise BackupError(f"This is a {manifest.vendor} backup; the database here is {vendor}.")
    if backup.stat().st_size != manifest.size or _sha256(backup) != manifest.sha256:
        raise BackupError(f"{backup} does not match its manifest (changed or cut short).")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = sorted(
        f"{app}.{name}" for app, name in manifest.migrations.items()
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    )
    if unknown:
        raise BackupError(
            "The backup was made by a newer version of Hindsight (migrations unknown here: "
            + ", ".join(unknown) + "). Restore it with that version."
        )
    if vendor == "sqlite":
        databases.sqlite_check(backup)
    else:
        databases.postgres_check(backup)
    return manifest


def backup_restore(*, backup: Path) -> RestoreReport:
    """Replace the live database with a backup, then apply again every erasure made since:
    the erasures are read (journal and live database) before anything is replaced."""
    backup = Path(backup)
    manifest = backup_verify(backup)
    known = erasures_known()
    tables_dropped = 0
    if connection.vendor == "sqlite":
        databases.sqlite_restore(connection, backup)
    else:
        tables_dropped = databases.postgres_restore(connection, backup)
    call_command("migrate", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    replay = erasure_replay(erasures=known.erasures, since=manifest.created_at)
    stories = rebuild_moderation_tallies()
    cache.clear()
    return RestoreReport(manifest=manifest, known=known, replay=replay,
                         tables_dropped=tables_dropped, stories=stories)
