"""Comments outlived their page until pages took their discussion with them (issue 13): a
story erased before then left its comments, replies and reports behind, readable at their
report address and listed in moderation. This deletes them, and what else named them (admin
history, moderators' notes), as deleting the page now does (`discussion.erasure`)."""

from django.db import migrations

DISCUSSION_MODELS = ("Comment", "CommentReport", "ClosedDiscussion")


def _history_forget(apps, db: str, model, ids: list[int]) -> None:
    """Admin history and moderators' notes about these objects (or proxies of their model)."""
    if not ids:
        return
    LogEntry = apps.get_model("admin", "LogEntry")
    ModerationDecision = apps.get_model("moderation", "ModerationDecision")
    names = [each._meta.model_name for each in apps.get_models()
             if each._meta.concrete_model is model]
    about = {"content_type__app_label": model._meta.app_label,
             "content_type__model__in": names}
    LogEntry.objects.using(db).filter(**about, object_id__in=[str(pk) for pk in ids]).delete()
    ModerationDecision.objects.using(db).filter(**about, object_id__in=ids).update(
        note="", changed_fields=[]
    )


def _gone(apps, db: str, rows):
    """The rows of `rows` (comments or closed marks) whose page no longer exists. A page of a
    kind this code does not know is kept: nothing here can tell whether it exists."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    gone = []
    type_ids = rows.order_by().values_list("content_type_id", flat=True).distinct()
    for content_type in ContentType.objects.using(db).filter(pk__in=list(type_ids)):
        try:
            page_model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        gone += rows.filter(content_type_id=content_type.pk).exclude(
            object_id__in=page_model._base_manager.using(db).values("pk")
        ).values_list("pk", flat=True)
    return gone


def delete_comments_whose_page_is_gone(apps, schema_editor) -> None:
    db = schema_editor.connection.alias
    Comment, CommentReport, ClosedDiscussion = (
        apps.get_model("discussion", name) for name in DISCUSSION_MODELS
    )
    comments = _gone(apps, db, Comment.objects.using(db))
    if comments:
        _history_forget(apps, db, Comment, comments)
        _history_forget(apps, db, CommentReport, list(
            CommentReport.objects.using(db).filter(comment_id__in=comments)
            .values_list("pk", flat=True)
        ))
        # Replies (on the same page) and reports go with them, by their foreign keys.
        Comment.objects.using(db).filter(pk__in=comments).delete()
    closed = _gone(apps, db, ClosedDiscussion.objects.using(db))
    if closed:
        _history_forget(apps, db, ClosedDiscussion, closed)
        ClosedDiscussion.objects.using(db).filter(pk__in=closed).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("discussion", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("moderation", "0001_initial"),
        # The kinds of page that take comments, so their tables are there to look in.
        ("stories", "0001_initial"),
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(delete_comments_whose_page_is_gone, migrations.RunPython.noop,
                             elidable=True),
    ]
