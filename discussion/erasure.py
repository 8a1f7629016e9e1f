"""What goes when comments go for good: the rows, and the traces of them that live outside
their own tables (admin history, which stores a comment's opening words, and moderators'
notes). `targets.register` makes every page that takes comments take its discussion with it
when it is deleted; `services.commenter_erase` forgets one commenter's comments."""

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models

from discussion.models import ClosedDiscussion, Comment, CommentReport
from moderation.models import ModerationDecision


def history_forget(model: type[models.Model], ids: list[int], *,
                   using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove the admin history of these objects (of `model` or a proxy of it) and empty the
    notes of the moderation decisions about them. Decision rows stay, without their notes, so
    the moderation record keeps its shape (as `accounts.services.forget_objects` does for
    stories; discussion sits below accounts and cannot call it)."""
    if not ids:
        return
    content_types = ContentType.objects.db_manager(using)
    types = [
        content_types.get_for_model(each, for_concrete_model=False)
        for each in apps.get_models()
        if each._meta.concrete_model is model
    ]
    LogEntry.objects.using(using).filter(
        content_type__in=types, object_id__in=[str(pk) for pk in ids]
    ).delete()
    ModerationDecision.objects.using(using).filter(
        content_type__in=types, object_id__in=ids
    ).update(note="", changed_fields=[])


def comments_forget(ids: list[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """The history of these comments and of the reports about them."""
    history_forget(Comment, ids, using=using)
    history_forget(CommentReport, list(
        CommentReport.objects.using(using).filter(comment_id__in=ids)
        .values_list("pk", flat=True)
    ), using=using)


def discussion_erase(*, page: models.Model, using: str = DEFAULT_DB_ALIAS) -> int:
    """Delete every comment on this page (replies and reports go with them) and its closed
    mark, with their history. Returns how many comments went. Two queries when there is no
    discussion, so deleting many pages at once stays cheap."""
    content_type = ContentType.objects.db_manager(using).get_for_model(page)
    comments = Comment.objects.using(using).filter(content_type=content_type,
                                                   object_id=page.pk)
    ids = list(comments.values_list("pk", flat=True))
    if ids:
        comments_forget(ids, using=using)
        Comment.objects.using(using).filter(pk__in=ids).delete()
    closed = list(ClosedDiscussion.objects.using(using).filter(
        content_type=content_type, object_id=page.pk
    ).values_list("pk", flat=True))
    if closed:
        history_forget(ClosedDiscussion, closed, using=using)
        ClosedDiscussion.objects.using(using).filter(pk__in=closed).delete()
    return len(ids)
