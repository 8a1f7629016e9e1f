"""What moderators, admins, researchers and authors do is recorded: who, what, which object,
and codes or counts, never the words of a note, a title or a story."""

import json

import pytest
from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse

from accounts.services import author_for_email
from audit.models import Action, AuditEvent
from hindsight.testing import (
    admin_form_data,
    make_moderator,
    make_story,
    make_treatment,
    sign_in_moderator,
)
from moderation.models import RejectReason
from research.models import ExportRequest
from research.tests.helpers import ask_for_export, counted_story, download_response, make_researcher
from stories import services as story_services
from stories.models import Story

pytestmark = pytest.mark.django_db

NOTE = "She is the nurse at the Katowice clinic, Maria K."
TITLE = "Walking again after Katowice"


def _every_value(audit_log) -> str:
    rows = AuditEvent.objects.values_list("details", "object_type", "login_hash", "ip_hash")
    return json.dumps(list(rows)) + audit_log.text()


def test_a_rejection_records_the_moderator_the_story_and_the_reason_but_not_the_note(
    audit_log, committed
):
    moderator = make_moderator()
    story = make_story(status=Story.Status.PENDING, title=TITLE)
    with committed():
        story_services.story_reject(story=story, moderator=moderator,
                                    reason=RejectReason.IDENTIFYING, note=NOTE)

    (event,) = AuditEvent.objects.all()
    assert event.action == Action.MODERATION_DECISION
    assert (event.actor_id, event.object_type, event.object_id) == (
        moderator.pk, "stories.story", story.pk)
    assert event.details["decision"] == "reject" and event.details["reason"] == "identifying"
    assert "Maria" not in _every_value(audit_log) and "Katowice" not in _every_value(audit_log)
    assert audit_log.actions() == ["moderation.decision"]


def test_an_authors_own_action_is_recorded_with_them_as_the_actor():
    author = author_for_email("anna@example.com")
    story = make_story(author=author)
    client = Client()
    client.force_login(author)

    client.post(reverse("accounts:story-withdraw", args=[story.pk]))

    event = AuditEvent.objects.get(action=Action.MODERATION_DECISION)
    assert event.details["decision"] == "withdraw" and event.actor_id == author.pk


def test_an_admin_edit_records_the_field_names_but_not_the_words(audit_log, committed):
    moderator = make_moderator()
    story = make_story(status=Story.Status.PENDING, title=TITLE)
    client = Client()
    sign_in_moderator(client, moderator)
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = admin_form_data(client.get(url))
    data["title"] = "A city in Poland"

    with committed():
        response = client.post(url, data)

    assert response.status_code == 302
    change = AuditEvent.objects.get(action=Action.ADMIN_CHANGE)
    assert change.actor_id == moderator.pk
    assert (change.object_type, change.object_id) == ("stories.story", story.pk)
    assert change.details["flag"] == "change" and change.details["fields"] == ["Title"]
    edit = AuditEvent.objects.get(action=Action.MODERATION_DECISION)
    assert edit.details["decision"] == "edit" and edit.details["fields"] == ["title"]
    everything = _every_value(audit_log)
    assert "Katowice" not in everything and "A city in Poland" not in everything


def test_admin_history_never_copies_object_names_or_inline_descriptions(audit_log, committed):
    moderator = make_moderator()
    story = make_story()
    with committed():
        LogEntry.objects.log_actions(
            moderator.pk, [story], CHANGE, single_object=True,
            change_message=[{"changed": {"fields": ["Body"]}},
                            {"added": {"name": "consent", "object": NOTE}},
                            {"deleted": {"name": "consent", "object": NOTE}}],
        )
        LogEntry.objects.log_actions(moderator.pk, [story], CHANGE, change_message=NOTE)

    first, second = AuditEvent.objects.order_by("id")
    assert first.details == {"flag": "change", "fields": ["Body"], "inline_added": 1,
                             "inline_deleted": 1}
    assert second.details == {"flag": "change", "fields": [], "inline_added": 0,
                              "inline_deleted": 0}
    assert "Maria" not in _every_value(audit_log)
    assert TITLE not in _every_value(audit_log)


def test_a_research_export_is_recorded_with_its_counts_when_downloaded(settings, tmp_path):
    settings.RESEARCH_EXPORT_DIR = tmp_path
    treatment = make_treatment()
    counted_story(treatment)
    researcher = make_researcher()
    client = Client()
    sign_in_moderator(client, researcher)
    ask_for_export(client, treatment, "csv")  # built by the worker (at once, in tests)
    assert not AuditEvent.objects.filter(action=Action.EXPORT_RESEARCH).exists()

    response = download_response(client, ExportRequest.objects.get())

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.EXPORT_RESEARCH)
    assert event.actor_id == researcher.pk and event.object_type == "research.exportlog"
    # One person alone is never exported (every group holds at least 5): dropped, and counted.
    assert event.details == {"format": "csv", "treatment_id": treatment.pk, "rows": 0,
                             "people": 0, "people_dropped": 1}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_personal_data_export_is_recorded(fmt, audit_log, committed):
    author = author_for_email("anna@example.com")
    make_story(author=author, title=TITLE)
    client = Client()
    client.force_login(author)

    with committed():
        response = client.get(reverse("accounts:export", args=[fmt]))

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.EXPORT_PERSONAL)
    assert event.actor_id == author.pk and event.details == {"format": fmt}
    assert "anna@example.com" not in _every_value(audit_log)


def test_an_unknown_export_format_records_nothing():
    author = author_for_email("anna@example.com")
    client = Client()
    client.force_login(author)

    assert client.get(reverse("accounts:export", args=["xlsx"])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT_PERSONAL).exists()


def test_erasing_a_story_and_then_a_person_is_recorded_without_the_address(
    audit_log, committed
):
    author = author_for_email("anna@example.com")
    first, _second = make_story(author=author), make_story(author=author)
    client = Client()
    client.force_login(author)

    with committed():
        client.post(reverse("accounts:story-erase", args=[first.pk]))
        client.post(reverse("accounts:erase-me"), {"confirm": "erase", "comments": "anonymise"})

    story_event = AuditEvent.objects.get(action=Action.ERASURE_STORY)
    assert story_event.details == {"stories": 1, "account": False, "comments_kept": False}
    assert story_event.actor_id == author.pk
    person_event = AuditEvent.objects.get(action=Action.ERASURE_PERSON)
    assert person_event.details == {"stories": 1, "account": True, "comments_kept": True}
    assert person_event.object_type == "accounts.erasurerecord"
    assert "anna@example.com" not in _every_value(audit_log)
    assert "erasure.story" in audit_log.actions() and "erasure.person" in audit_log.actions()


def test_authenticator_and_password_changes_are_recorded():
    moderator = make_moderator()
    authenticator = Authenticator(user=moderator, type=Authenticator.Type.TOTP, data={})

    for signal in (mfa_signals.authenticator_added, mfa_signals.authenticator_removed,
                   mfa_signals.authenticator_reset):
        signal.send(sender=Authenticator, request=None, user=moderator,
                    authenticator=authenticator)
    for signal in (account_signals.password_changed, account_signals.password_set,
                   account_signals.password_reset):
        signal.send(sender=type(moderator), request=None, user=moderator)

    events = list(AuditEvent.objects.order_by("id").values_list("action", "details", "object_id"))
    assert events == [
        ("mfa.added", {"type": "totp"}, moderator.pk),
        ("mfa.removed", {"type": "totp"}, moderator.pk),
        ("mfa.reset", {"type": "totp"}, moderator.pk),
        ("password.changed", {"how": "changed"}, moderator.pk),
        ("password.changed", {"how": "set"}, moderator.pk),
        ("password.changed", {"how": "reset"}, moderator.pk),
    ]
