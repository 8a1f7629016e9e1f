"""What this browser has proved, kept in a signed cookie that only /comments/ pages see: a
random key (to edit or delete one's own comments for a while) and the commenters whose
email was confirmed here. Story pages never read or set it, so they stay cacheable."""

import hashlib
import json
import secrets

from django.http import HttpRequest, HttpResponse

COOKIE = "hindsight_comments"
SALT = "discussion.browser"
MAX_AGE = 365 * 24 * 3600


def state(request: HttpRequest) -> dict:
    raw = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    data.setdefault("key", secrets.token_urlsafe(24))
    data["confirmed"] = [c for c in data.get("confirmed", []) if isinstance(c, int)][-20:]
    return data


def key_hash(data: dict) -> str:
    return hashlib.sha256(data["key"].encode()).hexdigest()


def remember(response: HttpResponse, data: dict) -> None:
    response.set_signed_cookie(
        COOKIE, json.dumps(data), salt=SALT, max_age=MAX_AGE, path="/comments/",
        httponly=True, samesite="Lax", secure=response_secure(),
    )


def response_secure() -> bool:
    from django.conf import settings

    return settings.SESSION_COOKIE_SECURE
