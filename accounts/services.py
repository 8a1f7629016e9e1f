"""People and what the site holds about them: their account, export and erasure."""

import json

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

from accounts.models import ErasureRecord, email_fingerprint
from accounts.tasks import send_prepared_email
from backups.journal import erasure_journal_append
from discussion.models import Comment
from followups.models import FollowUp
from moderation.models import ModerationDecision
from stories.models import Story, StoryRevision

User = get_user_model()


@transaction.atomic
def author_for_email(email: str) -> AbstractBaseUser:
    """The account that signs in with this (just verified) address, made if it is new.
    Authors have no password: they sign in with a one-time code."""
    existing = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if existing is not None:
        if not existing.verified:
            existing.verified = True
            existing.save(update_fields=["verified"])
        return existing.user
    user = User(username=f"author-{get_random_string(12).lower()}", email=email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def person_addresses(user: AbstractBaseUser) -> set[str]:
    addresses = {
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True)
        .values_list("email", flat=True)
    }
    return addresses - {""}


def _from_addresses(addresses: set[str]) -> Q:
    match = Q(pk__in=[])
    for address in addresses:
        match |= Q(email__iexact=address)
    return match


def person_stories(user: AbstractBaseUser):
    """A person's stories: linked to their account, or shared from one of their proven
    addresses before they signed in (not yet confirmed, say). What they see, download and
    erase is the same set."""
    return Story.objects.filter(
        Q(author=user) | (Q(author__isnull=True) & _from_addresses(person_addresses(user)))
    )


def person_comments(user: AbstractBaseUser):
    """Comments written from any of this person's verified addresses."""
    return Comment.objects.filter(commenter__email__in=person_addresses(user)).order_by(
        "-created_at"
    )


def _all_comments_on(stories):
    return Comment.objects.filter(content_type=ContentType.objects.get_for_model(Story),
                                  object_id__in=stories.values("pk"))


def comments_on_stories(stories):
    """The comments and replies on these stories, as their readers knew them: they are erased
    with the stories. Spam and comments their writers deleted go too, but nobody saw them,
    so they are not counted among what the author is told will go."""
    return _all_comments_on(stories).exclude(
        status__in=[Comment.Status.SPAM, Comment.Status.DELETED]
    )


def person_comments_elsewhere(user: AbstractBaseUser):
    """This person's comments on other people's stories (and pages), as listed on their page:
    the ones erasing everything deletes, or keeps without their name if they choose. Their
    comments on their own stories go with those stories whatever they choose."""
    return person_comments(user).exclude(status=Comment.Status.DELETED).exclude(
        pk__in=_all_comments_on(person_stories(user)).values("pk")
    )


def forget_objects(model, ids: list[int]) -> None:
    """Remove traces of erased objects that live outside their own tables: admin history
    (which stores the title) and the text of moderators' notes. Decision rows stay, without
    their notes, so the moderation record keeps its shape."""
    if not ids:
        return
    # Proxies (the moderation queue) file admin history under their own content type.
    content_types = [ContentType.objects.get_for_model(model)] + [
        ContentType.objects.get_for_model(proxy, for_concrete_model=False)
        for proxy in apps.get_models()
        if proxy._meta.proxy and proxy._meta.concrete_model is model
    ]
    LogEntry.objects.filter(content_type__in=content_types,
                            object_id__in=[str(i) for i in ids]).delete()
    ModerationDecision.objects.filter(content_type__in=content_types, object_id__in=ids).update(
        note="", changed_fields=[]
    )


def _forget_stories(story_ids: list[int]) -> None:
    """Everything outside a story's own rows that could hold its words: follow-ups' and edits'
    admin history, the story's own history, moderators' notes."""
    forget_objects(FollowUp, list(
        FollowUp.objects.filter(story_id__in=story_ids).values_list("pk", flat=True)
    ))
    forget_objects(StoryRevision, list(
        StoryRevision.objects.filter(story_id__in=story_ids).values_list("pk", flat=True)
    ))
    forget_objects(Story, story_ids)


def _forget_queued_email(addresses: set[str]) -> None:
    """Queued messages rendered in the request (sign-in codes) carry their address; other
    tasks carry only ids. Compared as data, not as text: JSON may escape accented letters."""
    wanted = {address.lower() for address in addresses}
    rows = DBTaskResult.objects.filter(task_path=send_prepared_email.module_path)
    for task_id, args_kwargs in rows.values_list("id", "args_kwargs").iterator():
        recipients = (args_kwargs or {}).get("kwargs", {}).get("to", [])
        if wanted & {str(r).lower() for r in recipients}:
            DBTaskResult.objects.filter(id=task_id).delete()


def _forget_sessions(user: AbstractBaseUser, addresses: set[str]) -> None:
    """Sign-ins in progress or open in other browsers: their sessions hold the user's id or a
    pending code sign-in for the address."""
    wanted = {address.lower() for address in addresses}
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        text = json.dumps(data, default=str).lower()
        if str(data.get("_auth_user_id")) == str(user.pk) or any(a in text for a in wanted):
            session.delete()


def _erasure_record(
    *, kind: str, email: str, story_ids: list[int], comments_kept: bool = False
) -> ErasureRecord:
    """Note the erasure in the database and, once it is committed, in the erasure journal
    outside it, so a restore from an older backup can apply it again."""
    record = ErasureRecord(
        kind=kind, email_hash=email_fingerprint(email), story_ids=sorted(story_ids),
        stories_erased=len(story_ids), account_erased=kind == ErasureRecord.Kind.PERSON,
        comments_kept=comments_kept,
    )
    record.full_clean()
    record.save()
    entry = record.journal_entry()
    transaction.on_commit(lambda: erasure_journal_append(entry))
    return record


@transaction.atomic
def story_erase(*, story: Story, record: bool = True) -> None:
    """Delete one story with its follow-ups and consents, and every copy of its text.
    `record=False` only when applying again an erasure that is already recorded (a restore)."""
    _forget_stories([story.pk])
    email, story_id = story.email, story.pk
    # Follow-ups and consent records go with it, and so does its discussion (every comment,
    # reply and report, with their history): stories take comments, and deleting a page that
    # takes comments deletes its discussion (discussion.targets.register).
    story.delete()
    _forget_queued_email({email})
    if record:
        _erasure_record(kind=ErasureRecord.Kind.STORY, email=email, story_ids=[story_id])


@transaction.atomic
def person_erase(
    *, user: AbstractBaseUser, keep_comments_anonymously: bool = False, record: bool = True
) -> int:
    """Erase everything the site holds about a person: every story shared from their
    addresses (confirmed or not), the follow-ups, their comments (or, if they choose, the words
    of their comments with no name or email left), their account and queued email.
    `record=False` only when applying again an erasure that is already recorded (a restore)."""
    from directory.services import suggestions_forget_addresses
    from discussion.services import commenter_erase

    addresses = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    addresses.add(user.email)
    addresses.discard("")
    stories = Story.objects.filter(Q(author=user) | _from_addresses(addresses))
    story_ids = list(stories.values_list("pk", flat=True))
    _forget_stories(story_ids)
    stories.delete()  # with the discussion on each (see story_erase)
    for address in addresses:
        commenter_erase(email=address, keep_words_anonymously=keep_comments_anonymously)
    suggestions_forget_addresses(addresses)
    _forget_queued_email(addresses)
    _forget_sessions(user, addresses)
    if record:
        for address in {address.strip().lower() for address in addresses}:
            _erasure_record(kind=ErasureRecord.Kind.PERSON, email=address, story_ids=story_ids,
                            comments_kept=keep_comments_anonymously)
    user.delete()
    return len(story_ids)


STORY_EXPORT_FIELDS = [
    "id", "status", "title", "body", "treatment", "procedure_status", "treated_month",
    "treated_year", "country", "city", "clinic", "treated_by", "procedure_kind", "veins",
    "result", "symptoms", "change_onset", "complications", "complications_other",
    "treated_again", "cost_amount", "cost_currency", "ms_type", "diagnosis_year", "age_band",
    "sex", "display_name", "email", "email_confirmed_at", "consent_publish",
    "consent_statistics", "reminders_enabled", "submitted_at", "published_at", "updated_at",
]
FOLLOWUP_EXPORT_FIELDS = [
    "id", "status", "reported_on", "result", "symptoms", "relapses_since_last",
    "new_complications", "restenosis", "repeat_procedure", "started_dmt", "body",
    "submitted_at", "published_at",
]


def _value(obj, name: str):
    value = getattr(obj, name)
    if name == "treatment":
        return value.name
    if name == "country":
        return value.code or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value.__class__.__name__ == "Decimal":
        return str(value)
    return value


def _baseline_export(baseline) -> dict | None:
    if baseline is None:
        return None
    return {
        "recorded_on": baseline.recorded_on.isoformat(),
        "symptoms": baseline.symptoms,
        "relapses_last_year": baseline.relapses_last_year,
        "expectation": baseline.expectation,
        "expectation_notes": baseline.expectation_notes,
    }


def person_export(user: AbstractBaseUser) -> dict:
    """Everything the site holds about one person, as plain data."""
    stories = (
        person_stories(user).select_related("treatment")
        .prefetch_related("consents", "followups").order_by("submitted_at")
    )
    return {
        "account": {
            "emails": list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
            "joined": user.date_joined.isoformat(),
            "last_sign_in": user.last_login.isoformat() if user.last_login else None,
        },
        "stories": [
            {
                **{name: _value(story, name) for name in STORY_EXPORT_FIELDS},
                "consents": [
                    {"purpose": c.purpose, "granted": c.granted, "version": c.version,
                     "text": c.text, "recorded_at": c.recorded_at.isoformat()}
                    for c in story.consents.all()
                ],
                "followups": [
                    {name: _value(f, name) for name in FOLLOWUP_EXPORT_FIELDS}
                    for f in story.followups.all()
                ],
                "baseline": _baseline_export(story.baseline_or_none()),
            }
            for story in stories
        ],
    }


def person_export_rows(data: dict):
    """The export as long-format rows (record, id, field, value) for a CSV."""
    for key, value in data["account"].items():
        yield ("account", "", key, value)
    for story in data["stories"]:
        for key, value in story.items():
            if key in ("consents", "followups", "id"):
                continue
            if key == "baseline":
                for field, value in (story["baseline"] or {}).items():
                    yield ("baseline", story["id"], field, value)
                continue
            yield ("story", story["id"], key, value)
        for number, consent in enumerate(story["consents"], start=1):
            for key, value in consent.items():
                yield ("consent", f"{story['id']}.{number}", key, value)
        for followup in story["followups"]:
            for key, value in followup.items():
                if key != "id":
                    yield ("followup", f"{story['id']}.{followup['id']}", key, value)
