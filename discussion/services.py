"""What happens to a comment: posted, confirmed, held or published, moderated, reported,
edited or deleted by its writer, and erased."""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from discussion import rules
from discussion.erasure import comments_forget
from discussion.models import ClosedDiscussion, Comment, Commenter, CommentReport
from discussion.targets import commentable_for
from discussion.tasks import notify_comment_published, send_commenter_confirmation
from moderation.models import Action
from moderation.services import decision_record, decisions_for

EDIT_WINDOW = datetime.timedelta(minutes=15)


def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip()).lower()


def commenter_for(email: str) -> Commenter:
    commenter, _ = Commenter.objects.get_or_create(email=normalise_email(email))
    return commenter


def discussion_is_closed(target: models.Model) -> bool:
    return ClosedDiscussion.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).exists()


def _status_for(commenter: Commenter, reasons: list[str], browser_confirmed: bool) -> str:
    if commenter.banned_at or rules.HONEYPOT in reasons:
        return Comment.Status.SPAM  # told the same as a held comment, so bots learn nothing
    if not browser_confirmed:
        return Comment.Status.UNCONFIRMED
    if reasons or not commenter.is_trusted:
        return Comment.Status.PENDING
    return Comment.Status.PUBLISHED


@transaction.atomic
def comment_submit(
    *,
    target: models.Model,
    parent: Comment | None,
    name: str,
    email: str,
    body: str,
    honeypot: str = "",
    seconds_to_write: float | None,
    browser_confirmed: bool,
    edit_key_hash: str = "",
) -> Comment:
    """Save a comment and decide where it goes: published at once only for a trusted commenter
    whose browser has proved the address, with no rule holding it; otherwise it waits."""
    if discussion_is_closed(target):
        raise ValidationError("Comments are closed on this page.")
    commenter = commenter_for(email)
    reasons = rules.hold_reasons(body=body, name=name, honeypot=honeypot,
                                 seconds_to_write=seconds_to_write)
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent  # threads are two levels deep: a reply to a reply joins its thread
    author_email = commentable_for(target).author_email(target)
    comment = Comment(
        target=target,
        parent=parent,
        commenter=commenter,
        name=name,
        body=body,
        status=_status_for(commenter, reasons, browser_confirmed),
        hold_reasons=reasons,
        by_story_author=bool(browser_confirmed and author_email
                             and normalise_email(author_email) == commenter.email),
        edit_key_hash=edit_key_hash,
    )
    comment.full_clean()
    if comment.status == Comment.Status.PUBLISHED:
        comment.published_at = timezone.now()
    comment.save()
    if comment.status == Comment.Status.UNCONFIRMED:
        send_commenter_confirmation.enqueue(commenter.pk, comment.pk)
    elif comment.status == Comment.Status.PUBLISHED:
        notify_comment_published.enqueue(comment.pk)
    return comment


@transaction.atomic
def commenter_confirm(*, commenter: Commenter) -> Commenter:
    """The address is proven: its waiting comments go on to a moderator, or straight out if
    a moderator has trusted this commenter before and no rule holds them."""
    commenter = Commenter.objects.select_for_update().get(pk=commenter.pk)
    if commenter.confirmed_at is None:
        commenter.confirmed_at = timezone.now()
        commenter.save(update_fields=["confirmed_at"])
    for comment in commenter.comments.filter(status=Comment.Status.UNCONFIRMED):
        if commenter.is_trusted and not comment.hold_reasons:
            _publish(comment)
        else:
            comment.status = Comment.Status.PENDING
            comment.save(update_fields=["status"])
    return commenter


def _publish(comment: Comment) -> None:
    comment.status = Comment.Status.PUBLISHED
    comment.published_at = comment.published_at or timezone.now()
    comment.save(update_fields=["status", "published_at"])
    notify_comment_published.enqueue(comment.pk)


@transaction.atomic
def comment_approve(
    *, comment: Comment, moderator: AbstractBaseUser, changed_fields: list[str] | None = None
) -> Comment:
    # Only the comment's row is locked: PostgreSQL cannot lock the nullable side of a join.
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("commenter")
        .get(pk=comment.pk)
    )
    if comment.status in (Comment.Status.UNCONFIRMED, Comment.Status.DELETED):
        raise ValidationError("A comment whose writer has not confirmed their email, or that "
                              "they deleted, cannot be approved.")
    if comment.status != Comment.Status.PUBLISHED:
        _publish(comment)
    commenter = comment.commenter
    if commenter and commenter.confirmed_at and not commenter.trusted_at:
        commenter.trusted_at = timezone.now()
        commenter.save(update_fields=["trusted_at"])
    comment.reports.update(resolved=True)
    decision_record(subject=comment, action=Action.APPROVE, moderator=moderator,
                    changed_fields=changed_fields)
    return comment


@transaction.atomic
def comment_reject(*, comment: Comment, moderator: AbstractBaseUser, reason: str = "",
                   note: str = "") -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.status = Comment.Status.REJECTED
    comment.save(update_fields=["status"])
    comment.reports.update(resolved=True)
    decision_record(subject=comment, action=Action.REJECT, moderator=moderator, reason=reason,
                    note=note)
    return comment


@transaction.atomic
def comment_mark_spam(*, comment: Comment, moderator: AbstractBaseUser) -> int:
    """Spam: ban the address and hide everything it ever posted. Returns how many were hidden."""
    # Only the comment's row is locked: PostgreSQL cannot lock the nullable side of a join.
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("commenter")
        .get(pk=comment.pk)
    )
    hidden = 0
    if comment.commenter is not None:
        commenter = comment.commenter
        commenter.banned_at = commenter.banned_at or timezone.now()
        commenter.trusted_at = None
        commenter.save(update_fields=["banned_at", "trusted_at"])
        hidden = commenter.comments.exclude(status=Comment.Status.SPAM).update(
            status=Comment.Status.SPAM
        )
    else:
        comment.status = Comment.Status.SPAM
        comment.save(update_fields=["status"])
        hidden = 1
    CommentReport.objects.filter(comment__commenter=comment.commenter).update(resolved=True)
    decision_record(subject=comment, action=Action.SPAM, moderator=moderator)
    return hidden


def comment_report(*, comment: Comment, reason: str, note: str = "") -> CommentReport:
    report = CommentReport(comment=comment, reason=reason, note=note)
    report.full_clean()
    report.save()
    return report


def written_in_browser(comment: Comment, edit_key_hash: str) -> bool:
    """Written in the browser holding this key, within the edit window."""
    return (
        bool(edit_key_hash)
        and comment.edit_key_hash == edit_key_hash
        and timezone.now() - comment.created_at <= EDIT_WINDOW
    )


def can_change_own_comment(comment: Comment, edit_key_hash: str) -> bool:
    """The same browser, within the edit window, for a comment not taken down and not yet
    decided on by a moderator (whose edit the writer must not be able to undo)."""
    return (
        written_in_browser(comment, edit_key_hash)
        and comment.status not in (Comment.Status.SPAM, Comment.Status.REJECTED,
                                   Comment.Status.DELETED)
        and not decisions_for(comment).exists()
    )


def comment_shown_to_browser(comment: Comment, edit_key_hash: str) -> bool:
    """Published, or still waiting and written in this browser a moment ago. Spam counts as
    waiting, so its writer is told what any held comment's writer is (its words are not
    shown back)."""
    if comment.status == Comment.Status.PUBLISHED:
        return True
    return written_in_browser(comment, edit_key_hash) and comment.status in (
        Comment.Status.UNCONFIRMED, Comment.Status.PENDING, Comment.Status.SPAM
    )


@transaction.atomic
def comment_edit(*, comment: Comment, body: str) -> Comment:
    """The writer's own edit. A published comment keeps its place, but an edit that a rule
    would hold goes back to a moderator."""
    comment.body = body
    comment.edited_at = timezone.now()
    reasons = rules.hold_reasons(body=body, name=comment.name, honeypot="",
                                 seconds_to_write=rules.MIN_SECONDS_TO_WRITE)
    if reasons and comment.status == Comment.Status.PUBLISHED:
        comment.status = Comment.Status.PENDING
        comment.hold_reasons = reasons
    comment.full_clean()
    comment.save()
    return comment


def comment_delete(*, comment: Comment) -> Comment:
    comment.status = Comment.Status.DELETED
    comment.save(update_fields=["status"])
    return comment


@transaction.atomic
def discussion_close(*, target: models.Model, moderator: AbstractBaseUser) -> None:
    ClosedDiscussion.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
        defaults={"closed_by": moderator},
    )
    decision_record(subject=target, action=Action.CLOSE_COMMENTS, moderator=moderator)


@transaction.atomic
def discussion_reopen(*, target: models.Model, moderator: AbstractBaseUser) -> None:
    ClosedDiscussion.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).delete()
    decision_record(subject=target, action=Action.OPEN_COMMENTS, moderator=moderator)


@transaction.atomic
def commenter_erase(*, email: str, keep_words_anonymously: bool) -> int:
    """Erase a commenter: delete their comments, or keep the words with no name or email."""
    commenter = Commenter.objects.filter(email=normalise_email(email)).first()
    if commenter is None:
        return 0
    comments = commenter.comments.all()
    count = comments.count()
    # Admin history names the commenter either way.
    comments_forget(list(comments.values_list("pk", flat=True)))
    if keep_words_anonymously:
        comments.update(commenter=None, name="", by_story_author=False, edit_key_hash="")
    else:
        comments.delete()
    commenter.delete()
    return count
