"""Comment emails, sent by the worker. Tasks carry ids only."""

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from hindsight.lib.emails import send_templated


@task()
def send_commenter_confirmation(commenter_id: int, comment_id: int) -> None:
    from discussion.models import Comment, Commenter
    from discussion.targets import visible_page
    from discussion.tokens import confirm_token

    commenter = Commenter.objects.filter(pk=commenter_id, banned_at__isnull=True).first()
    comment = Comment.objects.filter(pk=comment_id).first()
    # Checked as the worker runs, not as the task was queued: the page may have gone since.
    if commenter is None or comment is None or visible_page(comment) is None:
        return
    send_templated("comment-confirm", commenter.email, {
        "comment": comment,
        "confirm_url": settings.SITE_URL + reverse("discussion:confirm",
                                                   args=[confirm_token(commenter)]),
    })


def _unsubscribe_headers(url: str) -> dict:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@task()
def notify_comment_published(comment_id: int) -> None:
    """Tell the writer of the comment replied to, and the author of the story, by email."""
    from discussion.models import Comment
    from discussion.services import commenter_for, normalise_email
    from discussion.targets import commentable_for, visible_page
    from discussion.tokens import unsubscribe_token

    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.PUBLISHED).select_related(
        "commenter", "parent__commenter"
    ).first()
    if comment is None:
        return
    # Checked as the worker runs, not as the task was queued: since then the page may have
    # been withdrawn, rejected or erased, and nobody is sent words that no page shows.
    target = visible_page(comment)
    if target is None:
        return
    page_url = settings.SITE_URL + target.get_absolute_url() + f"#comment-{comment.pk}"
    writer = comment.commenter.email if comment.commenter else ""
    told = {writer}
    parent = comment.parent
    if parent and parent.commenter and parent.commenter.wants_reply_emails \
            and not parent.commenter.banned_at and parent.commenter.email not in told:
        url = settings.SITE_URL + reverse(
            "discussion:unsubscribe", args=[unsubscribe_token(parent.commenter, "replies")]
        )
        send_templated("comment-reply", parent.commenter.email,
                       {"comment": comment, "page_url": page_url, "unsubscribe_url": url},
                       headers=_unsubscribe_headers(url))
        told.add(parent.commenter.email)
    author_email = commentable_for(target).author_email(target)
    if author_email and normalise_email(author_email) not in told:
        author = commenter_for(author_email)
        if author.wants_story_emails:
            url = settings.SITE_URL + reverse(
                "discussion:unsubscribe", args=[unsubscribe_token(author, "story")]
            )
            send_templated("comment-on-story", author.email,
                           {"comment": comment, "page_url": page_url, "unsubscribe_url": url,
                            "target": target},
                           headers=_unsubscribe_headers(url))
