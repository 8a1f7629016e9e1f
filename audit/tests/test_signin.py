"""Signing in: every success, failure, lock-out and sign-out is recorded without the address or
the password; repeated failures lock an account (or a connection) out, even for the right
password and code; and nobody can tell from the answers whether an address has an account."""

import datetime
import json
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import author_for_email
from audit.models import Action, AuditEvent
from audit.services import ip_hash, login_hash
from audit.tests.helpers import (
    WRONG_PASSWORD,
    actions,
    code_step,
    password_step,
    signed_in_user_id,
    without_csrf,
    wrong_code,
)
from hindsight.testing import current_totp_code, give_authenticator, make_moderator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

LOCKED_MESSAGE = "signing in is paused for your safety"
MODERATION = "/moderation/"


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def secret(moderator):
    return give_authenticator(moderator)


def test_password_and_code_record_one_sign_in_with_both_methods(client, moderator, secret,
                                                                 audit_log, committed):
    with committed():
        assert password_step(client, moderator.email)["Location"] == reverse("mfa_authenticate")
        assert code_step(client, current_totp_code(secret)).status_code == 302

    assert client.get(MODERATION).status_code == 200
    (event,) = AuditEvent.objects.filter(action=Action.SIGNIN_OK)
    assert event.actor_id == moderator.pk and event.object_id == moderator.pk
    assert event.details == {"methods": ["mfa", "password"]}
    assert event.ip_hash == ip_hash("127.0.0.1")
    assert moderator.email not in audit_log.text()
    assert audit_log.actions() == ["signin.ok"]


def test_a_password_alone_signs_nobody_in_and_records_no_sign_in(client, moderator, secret):
    password_step(client, moderator.email)

    assert signed_in_user_id(client) is None
    assert client.get(MODERATION).status_code == 302
    assert not AuditEvent.objects.filter(action=Action.SIGNIN_OK).exists()


def test_a_wrong_password_is_recorded_with_a_keyed_hash_of_the_address_only(
    client, moderator, audit_log, committed
):
    with committed():
        response = password_step(client, moderator.email.upper(), WRONG_PASSWORD)

    assert response.status_code == 200
    (event,) = AuditEvent.objects.all()
    assert event.action == Action.SIGNIN_FAILED and event.details == {"step": "password"}
    assert event.login_hash == login_hash(moderator.email)
    assert event.actor_id is None and event.object_id is None
    (line,) = audit_log.lines()
    for secret_text in (moderator.email, moderator.email.upper(), WRONG_PASSWORD, "127.0.0.1"):
        assert secret_text not in line
        assert secret_text not in json.dumps([event.details, event.login_hash, event.ip_hash])


def test_a_wrong_authenticator_code_is_recorded_against_the_account(client, moderator, secret):
    password_step(client, moderator.email)
    code_step(client, wrong_code(secret))

    event = AuditEvent.objects.get(action=Action.SIGNIN_FAILED)
    assert event.details == {"step": "mfa", "type": "totp", "reauthentication": False}
    assert (event.object_type, event.object_id) == ("auth.user", moderator.pk)
    assert event.login_hash == login_hash(moderator.email)


def test_a_wrong_emailed_code_is_recorded(client):
    author = author_for_email("anna@example.com")
    client.post(reverse("account_request_login_code"), {"email": "anna@example.com"})
    client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    event = AuditEvent.objects.get(action=Action.SIGNIN_FAILED)
    assert event.details == {"step": "code", "last_attempt": False}
    assert event.object_id == author.pk


def test_three_wrong_emailed_codes_void_the_code_even_for_the_right_one(client):
    author_for_email("anna@example.com")
    client.post(reverse("account_request_login_code"), {"email": "anna@example.com"})
    (code,) = re.findall(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE)
    for _ in range(3):
        client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})

    client.post(reverse("account_confirm_login_code"), {"code": code})

    assert signed_in_user_id(client) is None
    failures = AuditEvent.objects.filter(action=Action.SIGNIN_FAILED).order_by("id")
    assert [event.details["last_attempt"] for event in failures] == [False, False, True]


def test_signing_out_is_recorded(client, moderator, secret):
    password_step(client, moderator.email)
    code_step(client, current_totp_code(secret))
    client.post(reverse("account_logout"))

    assert actions() == ["signin.ok", "signout"]
    assert AuditEvent.objects.get(action=Action.SIGNOUT).actor_id == moderator.pk


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password_and_code(
    client, moderator, secret
):
    for _ in range(5):
        assert password_step(client, moderator.email, WRONG_PASSWORD).status_code == 200

    right = password_step(client, moderator.email)
    code_step(client, current_totp_code(secret))

    assert right.status_code == 200 and LOCKED_MESSAGE in right.content.decode()
    assert signed_in_user_id(client) is None
    assert client.get(MODERATION).status_code == 302
    assert actions() == ["signin.failed"] * 5 + ["signin.locked", "signin.refused"]
    hashes = set(AuditEvent.objects.values_list("login_hash", flat=True))
    assert hashes == {login_hash(moderator.email)}

    # From another connection too: the lock is on the account, not only on this browser.
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert LOCKED_MESSAGE in password_step(elsewhere, moderator.email).content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert password_step(client, moderator.email)["Location"] == reverse("mfa_authenticate")
        code_step(client, current_totp_code(secret))
        assert client.get(MODERATION).status_code == 200


def test_five_wrong_authenticator_codes_lock_the_second_step(client, moderator, secret):
    password_step(client, moderator.email)
    for _ in range(5):
        code_step(client, wrong_code(secret))

    response = code_step(client, current_totp_code(secret))

    assert LOCKED_MESSAGE in response.content.decode()
    assert signed_in_user_id(client) is None
    assert actions() == ["signin.failed"] * 5 + ["signin.locked"]
    assert AuditEvent.objects.get(action=Action.SIGNIN_LOCKED).details == {"step": "mfa"}


def test_ten_failures_from_one_connection_lock_it_out_whatever_the_address(
    client, moderator, secret
):
    for n in range(10):
        password_step(client, f"someone-{n}@example.com", WRONG_PASSWORD)

    response = password_step(client, moderator.email)

    assert LOCKED_MESSAGE in response.content.decode()
    assert actions()[-1] == "signin.refused"
    assert len(set(AuditEvent.objects.values_list("ip_hash", flat=True))) == 1
    # Another connection is not held up by this one.
    other = Client(REMOTE_ADDR="192.0.2.45")
    assert password_step(other, moderator.email)["Location"] == reverse("mfa_authenticate")


def _login_answer(email: str) -> tuple[int, str]:
    response = password_step(Client(), email, WRONG_PASSWORD)
    return response.status_code, without_csrf(response.content.decode()).replace(email, "EMAIL")


def test_the_sign_in_page_answers_alike_for_unknown_and_known_addresses(moderator):
    author = author_for_email("anna@example.com")  # an author has no password at all
    answers = {
        "unknown": _login_answer("nobody@example.com"),
        "moderator": _login_answer(moderator.email),
        "author": _login_answer(author.email),
    }

    assert answers["unknown"] == answers["moderator"] == answers["author"]
    status, html = answers["unknown"]
    assert status == 200 and "EMAIL" in html  # what was typed is kept


def test_every_wrong_sign_in_costs_one_password_hash_so_timing_tells_nothing(
    moderator, monkeypatch
):
    """The slow part of a sign-in is hashing the password: an unknown address, an author with
    no password and a moderator with the wrong one must each cost exactly one hash."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    author = author_for_email("anna@example.com")
    hashed = []
    real_encode = MD5PasswordHasher.encode

    def counting_encode(self, *args, **kwargs):
        hashed.append(1)
        return real_encode(self, *args, **kwargs)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    counts = {}
    for email in ("nobody@example.com", author.email, moderator.email):
        hashed.clear()
        password_step(Client(), email, WRONG_PASSWORD)
        counts[email] = len(hashed)

    assert set(counts.values()) == {1}, counts


def test_unknown_and_known_addresses_are_locked_out_alike(moderator):
    def locked_answer(email: str) -> str:
        client = Client()
        for _ in range(5):
            password_step(client, email, WRONG_PASSWORD)
        response = password_step(client, email, WRONG_PASSWORD)
        return without_csrf(response.content.decode()).replace(email, "EMAIL")

    unknown, known = locked_answer("nobody@example.com"), locked_answer(moderator.email)

    assert unknown == known and LOCKED_MESSAGE in known


def _code_request_answer(email: str) -> tuple:
    client = Client()
    sent_before = len(mail.outbox)
    response = client.post(reverse("account_request_login_code"), {"email": email})
    page = client.get(response["Location"])
    html = without_csrf(page.content.decode()).replace(email, "EMAIL")
    return response.status_code, response["Location"], page.status_code, html, \
        len(mail.outbox) - sent_before


def test_asking_for_a_code_answers_alike_for_unknown_and_known_addresses(moderator):
    author = author_for_email("anna@example.com")
    unknown = _code_request_answer("nobody@example.com")
    known_author = _code_request_answer(author.email)
    known_moderator = _code_request_answer(moderator.email)

    assert unknown == known_author == known_moderator
    assert unknown[:3] == (302, reverse("account_confirm_login_code"), 200)
    assert unknown[4] == 1  # one email either way: a code, or "there is no account here"


def test_asking_for_codes_too_often_is_refused_alike(moderator):
    def answer(email: str) -> str:
        # A new browser each time: one that is waiting for a code is sent back to that page.
        for _ in range(3):
            Client().post(reverse("account_request_login_code"), {"email": email})
        response = Client().post(reverse("account_request_login_code"), {"email": email})
        assert response.status_code == 200
        return without_csrf(response.content.decode()).replace(email, "EMAIL")

    unknown, known = answer("nobody@example.com"), answer(moderator.email)

    assert unknown == known and LOCKED_MESSAGE in known


def test_the_sign_in_page_answers_429_with_the_sites_page_after_thirty_posts_a_minute(client):
    for _ in range(30):
        assert client.post(reverse("account_login"), {}).status_code == 200

    response = client.post(reverse("account_login"), {})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait a little before trying again" in html
    assert 'class="site-footer"' in html and 'content="noindex"' in html


def test_an_inactive_account_answers_like_a_wrong_password(moderator):
    get_user_model().objects.filter(pk=moderator.pk).update(is_active=False)
    EmailAddress.objects.filter(user=moderator).update(verified=True)

    assert _login_answer(moderator.email) == _login_answer("nobody@example.com")
