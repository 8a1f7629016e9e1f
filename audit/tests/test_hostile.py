"""Every string of the shared bad-input corpora (see `hindsight.hostile`), typed at sign-in as the
address, the password and the address for a code, and handed to the audit receivers as a
sign-in name, a moderator's note and admin history: never a 500, and every log line stays one
line of printable ASCII JSON holding only codes, numbers and hashes, never the typed text."""

import json
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from audit.models import Action, AuditEvent
from hindsight.hostile import load_corpora
from hindsight.testing import make_moderator, make_story
from moderation.models import Action as Decision
from moderation.models import RejectReason
from moderation.services import decision_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

STRINGS = load_corpora()
CHUNK = 100
# Chunks never mix the two corpora, so a test id names one file and a range of its strings.
CHUNKS = [
    strings[i : i + CHUNK]
    for corpus in ("blns", "xss")
    for strings in [[item for item in STRINGS if item[0] == corpus]]
    for i in range(0, len(strings), CHUNK)
]
CHUNK_IDS = [f"{chunk[0][0]}-{chunk[0][1]}-{chunk[-1][1]}" for chunk in CHUNKS]
PRINTABLE_ASCII = {chr(n) for n in range(0x20, 0x7F)}
# Event codes, hashes, ISO times, object types: all a sign-in event may hold.
CODE = re.compile(r"[A-Za-z0-9_.:+\-]*\Z")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _line_problems(line: str) -> list[str]:
    if not set(line) <= PRINTABLE_ASCII:
        return [f"not printable ASCII: {line[:120]!r}"]
    try:
        event = json.loads(line)
    except ValueError:
        return [f"not one JSON object: {line[:120]!r}"]
    return [f"{event['event']} holds {text[:60]!r}"
            for text in _strings(event) if not CODE.match(text)]


@pytest.mark.parametrize("chunk", CHUNKS, ids=CHUNK_IDS)
def test_hostile_text_typed_at_sign_in_never_reaches_the_log(audit_log, committed, chunk):
    problems = []
    client = Client()  # one client (a new one loads every middleware again), a new browser each
    requests = [
        ("account_login", lambda number, text: {"login": text, "password": text}),
        # A real address, so the hostile password goes all the way to the check.
        ("account_login", lambda number, text: {"login": f"person{number}@example.com",
                                                "password": text}),
        ("account_request_login_code", lambda number, text: {"email": text}),
    ]
    with committed():
        for source, number, text in chunk:
            cache.clear()  # each string meets the limits afresh, not a lock-out
            for url, data in requests:
                client.cookies.clear()
                answer = client.post(reverse(url), data(number, text))
                if answer.status_code not in (200, 302):
                    problems.append(f"{source}#{number} {url}: HTTP {answer.status_code}")

    lines = audit_log.lines()
    # Every non-empty password met the check and failed; the empty one is refused by the form.
    expected = sum(1 for _source, _number, text in chunk if text)
    assert len(lines) == AuditEvent.objects.count() >= expected
    for line in lines:
        problems += _line_problems(line)
    assert not problems, "\n".join(problems[:50])
    assert set(AuditEvent.objects.values_list("action", flat=True)) <= {
        Action.SIGNIN_FAILED, Action.SIGNIN_LOCKED, Action.SIGNIN_REFUSED}


def test_hostile_sign_in_names_given_to_django_are_kept_only_as_hashes(audit_log, committed):
    factory = RequestFactory()
    with committed():
        for _source, _number, text in STRINGS:
            cache.clear()
            request = factory.post("/accounts/login/", REMOTE_ADDR="203.0.113.5")
            assert authenticate(request, username=text, password=text) is None
            assert authenticate(request, email=text, password=text) is None
            assert authenticate(request, email="person@example.com", password=text) is None

    lines = audit_log.lines()
    assert len(lines) == AuditEvent.objects.count() >= 2 * len(STRINGS)
    problems = [problem for line in lines for problem in _line_problems(line)]
    assert not problems, "\n".join(problems[:50])


def test_hostile_notes_and_admin_history_never_reach_the_log(audit_log, committed):
    moderator = make_moderator()
    story = make_story()
    with committed():
        for _source, _number, text in STRINGS:
            decision_record(subject=story, action=Decision.REJECT, moderator=moderator,
                            reason=RejectReason.OTHER, note=text)
            LogEntry.objects.log_actions(
                moderator.pk, [story], CHANGE, single_object=True,
                change_message=[{"added": {"name": text, "object": text}},
                                {"deleted": {"name": text, "object": text}}],
            )

    lines = audit_log.lines()
    assert len(lines) == AuditEvent.objects.count() == 2 * len(STRINGS)
    problems = [problem for line in lines for problem in _line_problems(line)]
    assert not problems, "\n".join(problems[:50])


def test_hostile_field_labels_stay_inside_their_line(audit_log, committed):
    """Field labels come from the code, not from anyone typing; if one ever held hostile text,
    it would still be escaped inside its own line."""
    moderator = make_moderator()
    story = make_story()
    with committed():
        for _source, _number, text in STRINGS:
            LogEntry.objects.log_actions(moderator.pk, [story], CHANGE, single_object=True,
                                         change_message=[{"changed": {"fields": [text]}}])

    lines = audit_log.lines()
    assert len(lines) == len(STRINGS)
    for line, event in zip(lines, AuditEvent.objects.order_by("id"), strict=True):
        assert set(line) <= PRINTABLE_ASCII
        assert json.loads(line)["details"] == event.details
