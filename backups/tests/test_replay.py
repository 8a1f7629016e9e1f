"""Applying erasures again to a restored database, one rule at a time (no backup needed)."""

import uuid
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import ErasureRecord, email_fingerprint
from accounts.services import author_for_email
from backups.journal import Erasure
from backups.replay import REPLAY_MARGIN, erasure_replay
from backups.tests.helpers import comment
from discussion.models import Comment, Commenter
from hindsight.testing import make_story
from stories.models import Story

pytestmark = pytest.mark.django_db

BACKUP_MADE = timezone.now() - timedelta(days=1)


def erasure(kind: str, email: str, *, story_ids=(), minutes_after_backup: float = 5,
            comments_kept: bool = False) -> Erasure:
    return Erasure(
        uid=str(uuid.uuid4()), kind=kind, email_hash=email_fingerprint(email),
        erased_at=BACKUP_MADE + timedelta(minutes=minutes_after_backup),
        story_ids=tuple(story_ids), comments_kept=comments_kept,
    )


def test_a_person_is_found_by_any_of_their_addresses_whatever_the_case():
    user = author_for_email("first@example.com")
    EmailAddress.objects.create(user=user, email="Second@Example.com", verified=True)
    make_story(author=user, email="first@example.com")
    make_story(email="second@example.com", status=Story.Status.UNCONFIRMED)  # before signing in
    other = make_story(email="someone.else@example.com")

    report = erasure_replay(erasures=[erasure("person", "second@example.com")],
                            since=BACKUP_MADE)

    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert list(Story.objects.all()) == [other]
    assert (report.applied, report.accounts, report.stories) == (1, 1, 2)


def test_stories_of_someone_without_an_account_are_found_by_their_address():
    make_story(email="never.confirmed@example.com", status=Story.Status.UNCONFIRMED)

    erasure_replay(erasures=[erasure("person", "never.confirmed@example.com")],
                   since=BACKUP_MADE)

    assert not Story.objects.exists()


def test_a_story_erasure_removes_that_story_only():
    kept = make_story(email="author@example.com", title="Kept")
    gone = make_story(email="author@example.com", title="Gone")

    erasure_replay(erasures=[erasure("story", "author@example.com", story_ids=[gone.pk])],
                   since=BACKUP_MADE)

    assert list(Story.objects.all()) == [kept]


def test_a_story_id_now_used_by_someone_else_is_left_alone():
    """Ids are handed out again after a restore; only the erased person's story may go."""
    someone_else = make_story(email="someone.else@example.com")

    report = erasure_replay(
        erasures=[erasure("story", "left@example.com", story_ids=[someone_else.pk])],
        since=BACKUP_MADE,
    )

    assert Story.objects.filter(pk=someone_else.pk).exists()
    assert report.applied == 1 and report.stories == 0


@pytest.mark.parametrize("kept", [False, True])
def test_comments_go_or_stay_anonymously_as_the_person_chose(kept):
    story = make_story(email="author@example.com")
    comment(story, email="reader@example.com", body="Words from a reader who left")

    report = erasure_replay(
        erasures=[erasure("person", "reader@example.com", comments_kept=kept)],
        since=BACKUP_MADE,
    )

    assert not Commenter.objects.exists()
    assert report.commenters == 1
    left = Comment.objects.filter(body="Words from a reader who left")
    assert left.exists() is kept
    if kept:
        assert left.get().commenter is None and left.get().name == ""


def test_the_erasure_is_recorded_again_as_it_was_and_applied_only_once():
    make_story(email="twice@example.com")
    once = erasure("person", "twice@example.com", story_ids=[41])

    first = erasure_replay(erasures=[once], since=BACKUP_MADE)
    make_story(email="twice@example.com")  # they came back after the restore
    second = erasure_replay(erasures=[once], since=BACKUP_MADE)

    record = ErasureRecord.objects.get()
    assert str(record.uid) == once.uid and record.erased_at == once.erased_at
    assert (record.kind, record.story_ids, record.account_erased) == ("person", [41], True)
    assert (first.applied, second.applied, second.already_in_backup) == (1, 0, 1)
    assert Story.objects.count() == 1


def test_erasures_from_well_before_the_backup_are_left_alone():
    make_story(email="old@example.com")
    too_old = erasure("person", "old@example.com",
                      minutes_after_backup=-(REPLAY_MARGIN.total_seconds() / 60 + 1))

    report = erasure_replay(erasures=[too_old], since=BACKUP_MADE)

    assert Story.objects.count() == 1
    assert (report.applied, report.older_than_backup) == (0, 1)


def test_an_erasure_stamped_just_before_the_backup_but_missing_from_it_is_applied():
    """Stamped inside its transaction, committed a moment later: after the copy began."""
    make_story(email="racing@example.com")

    erasure_replay(erasures=[erasure("person", "racing@example.com", minutes_after_backup=-1)],
                   since=BACKUP_MADE)

    assert not Story.objects.exists()


def test_applying_again_writes_nothing_to_the_journal(
    journal, django_capture_on_commit_callbacks
):
    user = author_for_email("quiet@example.com")
    story = make_story(email="quiet@example.com", author=user)

    with django_capture_on_commit_callbacks(execute=True):
        erasure_replay(
            erasures=[erasure("person", "quiet@example.com"),
                      erasure("story", "quiet@example.com", story_ids=[story.pk])],
            since=BACKUP_MADE,
        )

    assert not journal.exists()
    assert ErasureRecord.objects.count() == 2
