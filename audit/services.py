"""Writing audit events: one row in `AuditEvent` and, once the transaction that made it
commits, one JSON line on the `hindsight.audit` logger."""

import logging
import re
from collections.abc import Mapping

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from audit.models import AuditEvent

logger = logging.getLogger("hindsight.audit")

_DETAIL_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")
MAX_DETAILS = 20
MAX_LIST = 100
MAX_TEXT = 100

Scalar = str | int | float | bool | None


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` under a key derived from SECRET_KEY and `purpose`: equal values
    give equal hashes, and without the key nobody can test a guess (an IPv4 address or an email
    would be easy to guess against a plain hash)."""
    data = value.encode("utf-8", "surrogatepass")
    return salted_hmac(f"hindsight.audit.{purpose}", data, algorithm="sha256").hexdigest()


def login_hash(identifier: str) -> str:
    """The keyed hash of a sign-in email or name, normalised as allauth compares them."""
    return keyed_hash("login", identifier.strip().lower())


def ip_hash(address: str) -> str:
    return keyed_hash("ip", address.strip())


def current_request() -> HttpRequest | None:
    """The request being answered, if any: allauth's middleware keeps it for the whole request,
    so receivers of model signals can say who acted and from where."""
    from allauth.core import context

    return context.request


def _scalar(value: Scalar) -> Scalar:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        # PostgreSQL's jsonb refuses NUL and unpaired surrogates; neither is ever a code.
        value = value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
        return value[:MAX_TEXT]
    raise TypeError(f"Audit details hold codes, numbers and names, not {type(value).__name__}.")


def _clean_details(details: Mapping[str, object] | None) -> dict:
    details = dict(details or {})
    if len(details) > MAX_DETAILS:
        raise ValueError("Too many audit details.")
    clean = {}
    for key, value in details.items():
        if not isinstance(key, str) or not _DETAIL_KEY.match(key):
            raise ValueError(f"Audit detail names are short snake_case codes, not {key!r}.")
        if isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
            clean[key] = [_scalar(item) for item in list(items)[:MAX_LIST]]
        else:
            clean[key] = _scalar(value)
    return clean


def _actor_id(actor: AbstractBaseUser | int | None, request: HttpRequest | None) -> int | None:
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if isinstance(actor, int):
        return actor
    return getattr(actor, "pk", None)


def event_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: AbstractBaseUser | int | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: int | None = None,
    details: Mapping[str, object] | None = None,
    login: str | None = None,
) -> AuditEvent:
    """Record one event.

    `request` defaults to the request being answered; the actor defaults to its signed-in user
    and the connection hash to its address. `target` (or `object_type` + `object_id`) names what
    was acted on. `details` takes codes, counts and field names only. `login` is an identifier
    someone typed to sign in: only its keyed hash is kept.
    """
    request = request if request is not None else current_request()
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    event = AuditEvent(
        action=action,
        actor_id=_actor_id(actor, request),
        object_type=object_type,
        object_id=object_id,
        details=_clean_details(details),
        ip_hash=ip_hash(address) if address else "",
        login_hash=login_hash(login) if login else "",
    )
    event.full_clean()
    event.save()
    line = event.log_line()
    # A rolled-back action leaves no row; it leaves no log line either.
    transaction.on_commit(lambda: logger.info(line))
    return event
