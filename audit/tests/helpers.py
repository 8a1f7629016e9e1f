"""Sign-in steps as a browser takes them, for the audit tests."""

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from audit.models import AuditEvent

PASSWORD = "a-long-test-password-1"  # what hindsight.testing.make_moderator sets
WRONG_PASSWORD = "not-the-password-42"


def password_step(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def code_step(client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def wrong_code(secret: str) -> str:
    """A six-digit code that is not valid now, nor in the steps either side allowed for drift."""
    step = int(time.time()) // 30
    valid = {format_hotp_value(hotp_value(secret, step + drift)) for drift in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1, 10) if f"{n:06d}" not in valid)


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
