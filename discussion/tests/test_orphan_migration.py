"""The data migration deletes the comments that outlived their page before pages took their
discussion with them (issue 13), with their replies, reports, closed mark and history, and
leaves every comment whose page still exists."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse

from discussion.models import ClosedDiscussion, Comment, CommentReport
from hindsight.testing import make_moderator, make_story
from moderation.models import Action, ModerationDecision
from moderation.services import decision_record
from stories.models import Story

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "discussion.migrations.0002_delete_comments_whose_page_is_gone"
)


def _run_migration() -> None:
    migration.delete_comments_whose_page_is_gone(apps, SimpleNamespace(connection=connection))


def _discussion_on(story_type: ContentType, story_id: int, words: str) -> list[Comment]:
    """Comments written as they were before issue 13: rows that name a page by id only."""
    def comment(**fields) -> Comment:
        return Comment.objects.create(content_type=story_type, object_id=story_id, name="Jo",
                                      status=Comment.Status.PUBLISHED, **fields)

    first = comment(body=f"First {words} words.")
    reply = comment(body=f"Reply {words} words.", parent=first)
    held = comment(body=f"Held {words} words.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    CommentReport.objects.create(comment=first, reason="other", note=f"{words} report")
    CommentReport.objects.create(comment=reply, reason="spam")
    ClosedDiscussion.objects.create(content_type=story_type, object_id=story_id)
    return [first, reply, held]


def test_comments_whose_story_is_gone_are_deleted_with_what_named_them():
    story_type = ContentType.objects.get_for_model(Story)
    live = make_story(title="Still here")
    kept = _discussion_on(story_type, live.pk, "kept")
    missing_id = live.pk + 1000
    orphans = _discussion_on(story_type, missing_id, "orphaned")
    moderator = make_moderator()
    LogEntry.objects.create(user=moderator, content_type=ContentType.objects.get_for_model(
        Comment), object_id=str(orphans[0].pk), object_repr=str(orphans[0]),
        action_flag=CHANGE, change_message="[]")
    decision_record(subject=orphans[2], action=Action.EDIT, moderator=moderator,
                    note="A note about the orphaned words")
    # The bug as readers met it (the orphan's words at its report address) is gone even
    # before the migration runs: no page shows a comment whose own page is gone.
    response = Client().get(reverse("discussion:report", args=[orphans[0].pk]))
    assert response.status_code == 404 and "orphaned" not in response.content.decode()

    _run_migration()

    orphan_ids = [c.pk for c in orphans]
    assert not Comment.objects.filter(pk__in=orphan_ids).exists()
    assert not CommentReport.objects.filter(comment_id__in=orphan_ids).exists()
    assert not ClosedDiscussion.objects.filter(object_id=missing_id).exists()
    assert not LogEntry.objects.filter(object_id=str(orphans[0].pk)).exists()
    assert not ModerationDecision.objects.filter(note__contains="orphaned").exists()
    assert Comment.objects.filter(pk__in=[c.pk for c in kept]).count() == 3
    assert CommentReport.objects.filter(comment__in=kept).count() == 2
    assert ClosedDiscussion.objects.filter(object_id=live.pk).exists()


def test_running_it_again_or_on_a_site_without_orphans_changes_nothing():
    story = make_story()
    kept = _discussion_on(ContentType.objects.get_for_model(Story), story.pk, "kept")

    _run_migration()
    _run_migration()

    assert Comment.objects.filter(pk__in=[c.pk for c in kept]).count() == 3
    assert CommentReport.objects.count() == 2
