from django.core import signing
from django.utils.crypto import salted_hmac

CONFIRM_SALT = "discussion.confirm"
UNSUBSCRIBE_SALT = "discussion.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
UNSUBSCRIBE_MAX_AGE = 5 * 365 * 24 * 3600


def _check(email: str) -> str:
    return salted_hmac(CONFIRM_SALT, email.lower()).hexdigest()[:16]


def confirm_token(commenter) -> str:
    return signing.dumps({"c": commenter.pk, "check": _check(commenter.email)}, salt=CONFIRM_SALT)


def commenter_from_confirm_token(token: str):
    from discussion.models import Commenter

    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    commenter = Commenter.objects.filter(pk=data.get("c")).first()
    if commenter is None or data.get("check") != _check(commenter.email):
        return None
    return commenter


def unsubscribe_token(commenter, kind: str) -> str:
    return signing.dumps({"c": commenter.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT)


def from_unsubscribe_token(token: str):
    from discussion.models import Commenter

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None, None
    if data.get("kind") not in ("replies", "story"):
        return None, None
    return Commenter.objects.filter(pk=data.get("c")).first(), data["kind"]
