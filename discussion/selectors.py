from django.contrib.contenttypes.models import ContentType
from django.db import models

from discussion.models import Comment


def published_thread(target: models.Model) -> list[Comment]:
    """Published comments on a page, each top-level one with its published replies attached as
    `thread_replies`, in one query."""
    comments = list(
        Comment.objects.published()
        .filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)
        .only("id", "parent_id", "name", "body_html", "by_story_author", "published_at",
              "edited_at", "created_at")
        .order_by("created_at", "id")
    )
    top_level = [c for c in comments if c.parent_id is None]
    by_id = {c.pk: c for c in top_level}
    for comment in top_level:
        comment.thread_replies = []
    for comment in comments:
        if comment.parent_id in by_id:
            by_id[comment.parent_id].thread_replies.append(comment)
    return top_level
