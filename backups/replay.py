"""Applying erasures again after a restore, so a restore never brings back someone who left.

Each erasure is known from the erasure journal and from the live database's ErasureRecords,
read before the data is replaced. After the restore, every erasure the restored copy does not
hold (by its uid) and that is not older than the backup is applied again with the usual
services, and its record is put back as it was."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction

from accounts.models import ErasureRecord, email_fingerprint
from accounts.services import person_erase, story_erase
from backups.databases import BackupError
from backups.journal import Erasure, erasure_journal_read
from discussion.models import Commenter
from discussion.services import commenter_erase
from stories.models import Story

# An erasure is stamped inside its transaction, a moment before it commits: one stamped a
# little before the backup began can still be missing from it. Those are applied too; any
# erasure the backup does hold is recognised by its uid and left alone.
REPLAY_MARGIN = timedelta(hours=1)


@dataclass
class KnownErasures:
    erasures: list[Erasure]
    in_journal: int = 0
    in_database: int = 0
    journal_found: bool = False
    database_read: bool = False
    unreadable_journal_lines: int = 0


@dataclass
class ReplayReport:
    applied: int = 0
    already_in_backup: int = 0
    older_than_backup: int = 0
    accounts: int = 0
    stories: int = 0
    commenters: int = 0


def _from_record(record: ErasureRecord) -> Erasure:
    return Erasure(
        uid=str(record.uid), erased_at=record.erased_at, kind=record.kind,
        email_hash=record.email_hash, story_ids=tuple(record.story_ids or ()),
        comments_kept=record.comments_kept,
    )


def erasures_known(*, journal: Path | None = None) -> KnownErasures:
    """Every erasure the journal and the live database know of, once each. The database may
    be gone or broken (that may be why we restore): then the journal alone."""
    try:
        read = erasure_journal_read(journal)
    except OSError as exc:
        raise BackupError(
            f"The erasure journal cannot be read ({exc.strerror}). Nothing was restored: the "
            "erasures it holds would be lost."
        ) from exc
    by_uid = {erasure.uid: erasure for erasure in read.erasures}
    known = KnownErasures(erasures=[], in_journal=len(by_uid), journal_found=read.found,
                          unreadable_journal_lines=read.unreadable_lines)
    try:
        records = list(ErasureRecord.objects.all())
    except DatabaseError:
        records = []
    else:
        known.database_read = True
    known.in_database = len(records)
    for record in records:
        by_uid.setdefault(str(record.uid), _from_record(record))
    known.erasures = sorted(by_uid.values(), key=lambda erasure: erasure.erased_at)
    return known


class _Addresses:
    """Who in the restored database has one of the wanted address fingerprints."""

    def __init__(self, wanted: set[str]) -> None:
        self.users: dict[str, set[int]] = defaultdict(set)
        self.stories: dict[str, set[int]] = defaultdict(set)
        self.commenters: dict[str, set[int]] = defaultdict(set)
        sources = (
            (self.users, EmailAddress.objects.values_list("user_id", "email")),
            (self.users, get_user_model().objects.values_list("pk", "email")),
            (self.stories, Story.objects.values_list("pk", "email")),
            (self.commenters, Commenter.objects.values_list("pk", "email")),
        )
        for found, rows in sources:
            for pk, email in rows.iterator():
                if email and (fingerprint := email_fingerprint(email)) in wanted:
                    found[fingerprint].add(pk)


def _apply(erasure: Erasure, addresses: _Addresses, report: ReplayReport) -> None:
    person = erasure.kind == ErasureRecord.Kind.PERSON
    if person:
        for user in get_user_model().objects.filter(pk__in=addresses.users[erasure.email_hash]):
            report.stories += person_erase(
                user=user, keep_comments_anonymously=erasure.comments_kept, record=False
            )
            report.accounts += 1
    wanted = set(erasure.story_ids)
    if person:
        wanted |= addresses.stories[erasure.email_hash]
    for story in Story.objects.filter(pk__in=wanted):
        # Ids can be handed out again after a restore: only the same person's story goes.
        if email_fingerprint(story.email) == erasure.email_hash:
            story_erase(story=story, record=False)
            report.stories += 1
    if person:
        for commenter in Commenter.objects.filter(
            pk__in=addresses.commenters[erasure.email_hash]
        ):
            commenter_erase(email=commenter.email, keep_words_anonymously=erasure.comments_kept)
            report.commenters += 1
    record = ErasureRecord(
        uid=erasure.uid, kind=erasure.kind, email_hash=erasure.email_hash,
        story_ids=list(erasure.story_ids), stories_erased=len(erasure.story_ids),
        account_erased=person, comments_kept=erasure.comments_kept,
    )
    record.full_clean()
    record.save()
    # auto_now_add stamped it now; it keeps the time the person asked.
    ErasureRecord.objects.filter(pk=record.pk).update(erased_at=erasure.erased_at)


def erasure_replay(*, erasures: Iterable[Erasure], since: datetime) -> ReplayReport:
    """Apply again, oldest first, each erasure the restored database lacks and that is not
    older than the backup (made at `since`). Each one is applied, with its record, in one
    transaction; running this twice applies nothing twice."""
    present = {str(uid) for uid in ErasureRecord.objects.values_list("uid", flat=True)}
    report = ReplayReport()
    due = []
    for erasure in sorted(erasures, key=lambda erasure: erasure.erased_at):
        if erasure.uid in present:
            report.already_in_backup += 1
        elif erasure.erased_at < since - REPLAY_MARGIN:
            report.older_than_backup += 1
        else:
            due.append(erasure)
            present.add(erasure.uid)
    if not due:
        return report
    addresses = _Addresses({erasure.email_hash for erasure in due})
    for erasure in due:
        with transaction.atomic():
            _apply(erasure, addresses, report)
        report.applied += 1
    return report
