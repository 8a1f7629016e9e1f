"""Fixed-window rate limits kept in Django's cache, so they hold across app servers when the
cache is shared (the database cache or Redis)."""

import functools
import hashlib
import math

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def allow(scope: str, identity: str, *, limit: int, window_seconds: int) -> bool:
    """Count one action by `identity` in `scope`; False once it exceeds `limit` per window."""
    digest = hashlib.sha256(f"{scope}:{identity}".encode()).hexdigest()
    key = f"ratelimit:{scope}:{digest}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return True
    return count <= limit


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many(request: HttpRequest, *, wait_seconds: int) -> HttpResponse:
    """The 429 page (templates/429.html, also allauth's): what happened and how long to wait.
    Forms with typed text should rather show it again with a message, so nothing is lost."""
    response = render(request, "429.html", {"wait_minutes": math.ceil(wait_seconds / 60)},
                      status=429)
    response["Retry-After"] = str(wait_seconds)
    return response


def person_or_address(request) -> str:
    """Who is counted: a signed-in person by account (people behind one shared connection, a
    care home say, don't use up each other's allowance), anyone else by address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def limit_posts(scope: str, *, limit: int, window_seconds: int, identity=None):
    """Decorate a view of a one-click form (nothing typed to lose): past `limit` POSTs per
    person or address in `window_seconds` (or per `identity(request, **view_kwargs)`), answer
    the 429 page before the view runs."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                who = identity(request, **kwargs) if identity else person_or_address(request)
                if not allow(scope, who, limit=limit, window_seconds=window_seconds):
                    return too_many(request, wait_seconds=window_seconds)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def per_link(request, *, token: str, **kwargs) -> str:
    """For links in emails: counted per link, not per address. Mail providers press one-click
    unsubscribe links (RFC 8058) for many people from a few shared addresses."""
    return f"link:{token}"
