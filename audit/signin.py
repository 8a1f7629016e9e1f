"""Lock-out of repeated sign-in failures, as allauth counts them (`ACCOUNT_RATE_LIMITS
["login_failed"]` in settings), seen from the audit log: when a failure uses up the allowed
attempts, and each attempt refused while locked."""

from collections.abc import Mapping

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.core import ratelimit
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def login_identifier(credentials: Mapping[str, object]) -> str:
    for name in ("email", "username", "login", "phone"):
        value = credentials.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def login_is_locked(request: HttpRequest, credentials: Mapping[str, object]) -> bool:
    """Whether the next password attempt with these credentials, from this connection, would
    be refused. Asked without counting an attempt, with allauth's own key for the address."""
    key = get_adapter(request)._get_login_attempts_cache_key(request, **credentials)
    return not ratelimit.consume(request, action="login_failed", key=key, dry_run=True)


def mfa_is_locked(request: HttpRequest, user) -> bool:
    """Whether the next authenticator code for this account would be refused (allauth counts
    codes under the same `login_failed` limit, keyed by the account)."""
    key = f"mfa-auth-user-{user.pk}"
    return not ratelimit.consume(request, action="login_failed", key=key, dry_run=True)


class AuditedSignInAdapterMixin:
    """For the account adapter: records each password attempt refused during a lock-out (allauth
    refuses it before checking the password, so no other signal says so), and says plainly
    what is happening and for how long."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "There have been too many attempts to sign in with this address, so signing in is "
            "paused for your safety. Please wait 15 minutes, then try again."
        ),
    }

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from audit.models import Action
            from audit.services import event_record

            event_record(action=Action.SIGNIN_REFUSED, request=request,
                         login=login_identifier(credentials), details={"step": "password"})
            raise
