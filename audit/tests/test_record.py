"""Recording an event: one row and one JSON line, hashes instead of addresses, nothing that can
be changed afterwards, and no value that can break out of its line."""

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

import audit
from audit.models import Action, AppendOnlyError, AuditEvent
from audit.services import event_record, ip_hash, login_hash
from hindsight.testing import make_moderator, make_story

pytestmark = pytest.mark.django_db

PRINTABLE_ASCII = {chr(n) for n in range(0x20, 0x7F)}


def _request(address: str = "203.0.113.7", user=None):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    if user is not None:
        request.user = user
    return request


def test_it_writes_one_row_and_one_json_line(audit_log, committed):
    story = make_story()
    with committed():
        event = audit.record("moderation.decision", request=_request(), actor=41, target=story,
                             details={"decision": "approve", "fields": ["title", "body"]})

    (line,) = audit_log.lines()
    assert json.loads(line) == {
        "at": event.at.isoformat(), "id": event.pk, "event": "moderation.decision",
        "actor": 41, "object_type": "stories.story", "object_id": story.pk,
        "details": {"decision": "approve", "fields": ["title", "body"]},
        "ip": ip_hash("203.0.113.7"), "login": None,
    }
    assert AuditEvent.objects.get() == event


def test_it_keeps_a_keyed_hash_of_the_address_and_of_what_was_typed_to_sign_in(
    audit_log, committed, settings
):
    with committed():
        event = event_record(action=Action.SIGNIN_FAILED, request=_request("198.51.100.9"),
                             login="Mod@Example.invalid ")

    stored = json.dumps([event.ip_hash, event.login_hash, event.details]) + audit_log.text()
    assert "198.51.100.9" not in stored and "example.invalid" not in stored.lower()
    assert len(event.ip_hash) == len(event.login_hash) == 64
    assert event.login_hash == login_hash("mod@example.invalid")  # as allauth compares them
    assert event.ip_hash != ip_hash("198.51.100.10")
    # Keyed: another site's key (or no key) gives another hash, so guesses cannot be tested.
    settings.SECRET_KEY = "another-secret-key-" * 3
    assert ip_hash("198.51.100.9") != event.ip_hash
    assert login_hash("mod@example.invalid") != event.login_hash


def test_the_actor_is_the_signed_in_user_of_the_request_unless_given():
    moderator = make_moderator()

    from_request = event_record(action=Action.SIGNOUT, request=_request(user=moderator))
    given = event_record(action=Action.SIGNOUT, request=_request(user=moderator), actor=7)

    assert from_request.actor_id == moderator.pk
    assert given.actor_id == 7


def test_without_a_request_there_is_no_connection_hash():
    event = event_record(action=Action.ERASURE_STORY, object_type="accounts.erasurerecord",
                         object_id=3)

    assert event.ip_hash == "" and event.actor_id is None


def test_a_rolled_back_action_leaves_neither_row_nor_line(audit_log, committed):
    with committed(), pytest.raises(RuntimeError):
        with transaction.atomic():
            event_record(action=Action.SIGNOUT, request=_request())
            raise RuntimeError("the action failed after its event was written")

    assert not AuditEvent.objects.exists()
    assert audit_log.lines() == []


def test_an_event_cannot_be_changed_or_deleted():
    event = event_record(action=Action.SIGNOUT, request=_request())

    event.action = Action.SIGNIN_OK
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.SIGNIN_OK)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.get().action == Action.SIGNOUT


def test_the_database_itself_refuses_to_change_an_event():
    event = event_record(action=Action.SIGNOUT, request=_request())

    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET action = %s WHERE id = %s",
                           ["signin.ok", event.pk])

    assert AuditEvent.objects.get().action == Action.SIGNOUT


def test_details_hold_codes_numbers_and_names_only():
    with pytest.raises(TypeError):
        event_record(action=Action.ADMIN_CHANGE, details={"story": {"title": "nested text"}})
    with pytest.raises(ValueError):
        event_record(action=Action.ADMIN_CHANGE, details={"Free text key!": 1})
    with pytest.raises(ValueError):
        event_record(action=Action.ADMIN_CHANGE, details={f"k{n}": n for n in range(21)})
    event = event_record(action=Action.ADMIN_CHANGE,
                         details={"fields": ["x" * 500] + ["y"] * 200, "count": 3})

    assert event.details["fields"][0] == "x" * 100
    assert len(event.details["fields"]) == 100
    assert not AuditEvent.objects.exclude(pk=event.pk).exists()


def test_an_unknown_event_code_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        event_record(action="signin.maybe")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("breaker", [
    "\n", "\r", "\r\n", "\x1b[2K\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x00",
    "\x1b]0;title\x07", "\ud800",
])
def test_no_value_can_end_its_line_or_start_a_forged_one(audit_log, committed, breaker):
    forged = f'{breaker}{{"event":"signin.ok","actor":1}}{breaker}'
    with committed():
        event = event_record(action=Action.ADMIN_CHANGE, request=_request(), login=forged,
                             details={"fields": [forged], "flag": forged})

    (line,) = audit_log.lines()
    assert set(line) <= PRINTABLE_ASCII
    assert json.loads(line)["details"] == event.details
    assert AuditEvent.objects.get().details == event.details  # PostgreSQL's jsonb took it too
    assert event.details["flag"].endswith('{"event":"signin.ok","actor":1}' + breaker) or (
        breaker in ("\x00", "\ud800")  # replaced: jsonb refuses both
    )
