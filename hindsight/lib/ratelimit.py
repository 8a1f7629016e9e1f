"""Fixed-window rate limits kept in Django's cache, so they hold across app servers when the
cache is shared (the database cache or Redis)."""

import hashlib

from django.core.cache import cache


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
