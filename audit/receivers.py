"""Audit events that other apps announce by signals: sign-ins and their failures, lock-outs,
authenticator and password changes, moderation decisions, admin changes, research exports and
erasures. Each receiver copies ids, codes, counts and field names; never notes, titles, object
names or anything typed."""

import json

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import signals as mfa_signals
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import ErasureRecord
from audit.models import Action
from audit.services import event_record
from audit.signin import login_identifier, login_is_locked, mfa_is_locked
from moderation.models import ModerationDecision
from research.models import ExportLog

ADMIN_FLAGS = {ADDITION: "addition", CHANGE: "change", DELETION: "deletion"}


def _email(user) -> str:
    return getattr(user, "email", "") or ""


# --- Signing in and out ----------------------------------------------------------------------

@receiver(auth_signals.user_logged_in, dispatch_uid="audit.signed_in")
def signed_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None) or {}
    methods = {
        record.get("method")
        for record in session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
        if isinstance(record, dict) and isinstance(record.get("method"), str)
    }
    event_record(action=Action.SIGNIN_OK, request=request, actor=user, target=user,
                 details={"methods": sorted(methods)})


@receiver(auth_signals.user_login_failed, dispatch_uid="audit.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong email or password (Django passes the credentials with the password masked).
    When this failure used up the allowed attempts, the lock-out is recorded too."""
    identifier = login_identifier(credentials)
    event_record(action=Action.SIGNIN_FAILED, request=request, login=identifier,
                 details={"step": "password"})
    if request is not None and login_is_locked(request, credentials):
        event_record(action=Action.SIGNIN_LOCKED, request=request, login=identifier,
                     details={"step": "password"})


@receiver(account_signals.login_code_rejected, dispatch_uid="audit.login_code_rejected")
def login_code_rejected(sender, request, user, last_attempt: bool = False, **kwargs) -> None:
    event_record(action=Action.SIGNIN_FAILED, request=request, target=user, login=_email(user),
                 details={"step": "code", "last_attempt": bool(last_attempt)})


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit.mfa_failed")
def second_factor_failed(sender, request, user, authenticator, **kwargs) -> None:
    details = {"step": "mfa", "type": authenticator.type,
               "reauthentication": bool(kwargs.get("reauthentication"))}
    event_record(action=Action.SIGNIN_FAILED, request=request, target=user, login=_email(user),
                 details=details)
    if request is not None and mfa_is_locked(request, user):
        event_record(action=Action.SIGNIN_LOCKED, request=request, target=user,
                     login=_email(user), details={"step": "mfa"})


@receiver(auth_signals.user_logged_out, dispatch_uid="audit.signed_out")
def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        event_record(action=Action.SIGNOUT, request=request, actor=user)


# --- Credentials ------------------------------------------------------------------------------

def _authenticator_event(action: Action):
    def handler(sender, request, user, authenticator, **kwargs) -> None:
        event_record(action=action, request=request, target=user,
                     details={"type": authenticator.type})
    return handler


_mfa_added = _authenticator_event(Action.MFA_ADDED)
_mfa_removed = _authenticator_event(Action.MFA_REMOVED)
_mfa_reset = _authenticator_event(Action.MFA_RESET)
mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit.mfa_added")
mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="audit.mfa_removed")
mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit.mfa_reset")


def _password_event(how: str):
    def handler(sender, request, user, **kwargs) -> None:
        event_record(action=Action.PASSWORD_CHANGED, request=request, target=user,
                     details={"how": how})
    return handler


_password_changed = _password_event("changed")
_password_set = _password_event("set")
_password_reset = _password_event("reset")
account_signals.password_changed.connect(_password_changed, dispatch_uid="audit.pw_changed")
account_signals.password_set.connect(_password_set, dispatch_uid="audit.pw_set")
account_signals.password_reset.connect(_password_reset, dispatch_uid="audit.pw_reset")


# --- Moderators, admins, exports and erasures ---------------------------------------------------

@receiver(post_save, sender=ModerationDecision, dispatch_uid="audit.moderation_decision")
def moderation_decided(sender, instance: ModerationDecision, created: bool, raw: bool = False,
                       **kwargs) -> None:
    if not created or raw:
        return
    fields = instance.changed_fields if isinstance(instance.changed_fields, list) else []
    event_record(
        action=Action.MODERATION_DECISION,
        actor=instance.moderator_id,
        object_type=f"{instance.content_type.app_label}.{instance.content_type.model}",
        object_id=instance.object_id,
        # The note is words a moderator typed, perhaps quoting the story: it stays out.
        details={"decision": instance.action, "reason": instance.reason or None,
                 "fields": [str(name) for name in fields], "decision_id": instance.pk},
    )


def _admin_fields(change_message: str) -> tuple[list[str], int, int]:
    """Field labels from an admin change message, and how many inline rows were added and
    deleted. The message also holds object names (`str(obj)`, often typed by someone); those
    are never copied."""
    try:
        message = json.loads(change_message or "[]")
    except ValueError:
        return [], 0, 0
    fields, added, deleted = [], 0, 0
    for part in message if isinstance(message, list) else []:
        if not isinstance(part, dict):
            continue
        changed = part.get("changed")
        if isinstance(changed, dict) and isinstance(changed.get("fields"), list):
            fields += [str(name) for name in changed["fields"]]
        # {"added": {}} is the object itself; an inline row names its model and object.
        if part.get("added"):
            added += 1
        if part.get("deleted"):
            deleted += 1
    return fields, added, deleted


@receiver(post_save, sender=LogEntry, dispatch_uid="audit.admin_change")
def admin_changed(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    fields, inline_added, inline_deleted = _admin_fields(instance.change_message)
    content_type = instance.content_type
    object_id = str(instance.object_id or "")  # a text column, given the pk before saving
    event_record(
        action=Action.ADMIN_CHANGE,
        actor=instance.user_id,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=int(object_id) if object_id.isascii() and object_id.isdigit() else None,
        details={"flag": ADMIN_FLAGS.get(instance.action_flag, "other"), "fields": fields,
                 "inline_added": inline_added, "inline_deleted": inline_deleted},
    )


@receiver(post_save, sender=ExportLog, dispatch_uid="audit.research_export")
def research_exported(sender, instance: ExportLog, created: bool, raw: bool = False,
                      **kwargs) -> None:
    if not created or raw:
        return
    event_record(
        action=Action.EXPORT_RESEARCH, actor=instance.user_id, target=instance,
        details={"format": instance.format, "treatment_id": instance.treatment_id,
                 "rows": instance.rows, "people": instance.people,
                 "people_dropped": instance.people_dropped},
    )


@receiver(post_save, sender=ErasureRecord, dispatch_uid="audit.erasure")
def erased(sender, instance: ErasureRecord, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    action = Action.ERASURE_PERSON if instance.account_erased else Action.ERASURE_STORY
    event_record(
        action=action, target=instance,
        details={"stories": instance.stories_erased, "account": instance.account_erased,
                 "comments_kept": instance.comments_kept},
    )
