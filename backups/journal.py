"""The erasure journal: one JSON line per erasure, in a file outside the database, so that
erasures survive the loss of the database and are applied again after a restore.

A line holds when, what kind, the keyed hash of the address and the erased story ids: never an
address or anyone's words. Lines are appended once the erasure is committed."""

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

KINDS = {"story", "person"}


def journal_path() -> Path:
    return Path(settings.ERASURE_JOURNAL)


def erasure_journal_append(entry: dict, *, path: Path | None = None) -> bool:
    """Append one erasure and flush it to disk. Never raises: the erasure itself is already
    committed, and the person must still be told it is done; a failure is logged loudly."""
    path = path or journal_path()
    line = (json.dumps(entry, separators=(",", ":"), sort_keys=True) + "\n").encode()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        created = not path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            # One write per line: O_APPEND keeps lines from several processes whole.
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _fsync_folder(path.parent)
    except OSError:
        logger.exception(
            "Could not append erasure %s to the erasure journal %s: add it by hand, or a "
            "restore from an older backup will not apply it again.", entry.get("uid"), path,
        )
        return False
    return True


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Erasure:
    """One erasure as it can be applied again: from the journal or from an ErasureRecord."""

    uid: str
    erased_at: datetime
    kind: str
    email_hash: str
    story_ids: tuple[int, ...] = ()
    comments_kept: bool = False

    @classmethod
    def from_entry(cls, entry: dict) -> "Erasure":
        """Read a journal line's data; ValueError (or a subclass) if it is not one."""
        erased_at = datetime.fromisoformat(entry["erased_at"])
        if erased_at.tzinfo is None:
            raise ValueError("erased_at has no time zone")
        kind, email_hash = entry["kind"], entry["email_hash"]
        story_ids = entry.get("story_ids") or []
        if kind not in KINDS or not isinstance(email_hash, str) or len(email_hash) != 64:
            raise ValueError("not an erasure")
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in story_ids):
            raise ValueError("story ids must be whole numbers")
        return cls(
            uid=str(entry["uid"]), erased_at=erased_at, kind=kind, email_hash=email_hash,
            story_ids=tuple(story_ids), comments_kept=bool(entry.get("comments_kept", False)),
        )


@dataclass
class JournalRead:
    erasures: list[Erasure] = field(default_factory=list)
    unreadable_lines: int = 0
    found: bool = False


def erasure_journal_read(path: Path | None = None) -> JournalRead:
    """Every erasure in the journal. A line that cannot be read (a write cut short by a crash)
    is counted and skipped, never fatal: the other erasures still have to be applied."""
    path = path or journal_path()
    result = JournalRead()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return result
    result.found = True
    for line in raw.splitlines():
        if not line.strip():
            continue
        try:
            result.erasures.append(Erasure.from_entry(json.loads(line)))
        except (ValueError, KeyError, TypeError, AttributeError):
            result.unreadable_lines += 1
    return result
