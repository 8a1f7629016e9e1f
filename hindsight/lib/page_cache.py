"""Rendered public pages kept in the shared cache, for readers who reach Django: a front-cache
miss, a second app server, a site without nginx. A kept page is served only to a visitor
with no cookie but the CSRF one (so never a signed-in or personal page), and only while the
site-wide generation it was rendered under is current: anything a public page shows changing
starts a new generation, once that change commits. Pages are also dropped after
`PAGE_SECONDS`, which bounds anything that changes without a save. Keys also carry a
fingerprint of the code and templates, so a process running new code never serves (or is
served) a page rendered by old code, however the deploy is ordered. Only with a cache that
every process shares (`KEEP_RENDERED_PAGES`, on when `CACHE_URL` is set)."""

import functools
import hashlib
import logging
import os
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
PAGE_SECONDS = 600


SOURCE_SUFFIXES = (".py", ".html", ".css", ".js", ".txt", ".json")


@functools.cache
def code_fingerprint() -> str:
    """A hash of the site's source files, read once per process (about 10 ms)."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(settings.BASE_DIR):
        dirs[:] = sorted(name for name in dirs if not name.startswith(".")
                         and name not in {"var", "__pycache__", "node_modules"})
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES):
                path = os.path.join(root, name)
                digest.update(os.path.relpath(path, settings.BASE_DIR).encode())
                with open(path, "rb") as source:
                    digest.update(source.read())
    return digest.hexdigest()[:16]


def pages_changed() -> None:
    """Every kept page is stale from now on. Call it after the change has committed, or a
    reader could keep a page rendered from the old data under the new generation."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:
        # The change is committed whatever happens here, and kept pages go stale by
        # themselves within PAGE_SECONDS. (The database cache's table is made after the
        # first `migrate`, which calls this too.)
        logger.error("Could not start a new generation of kept pages: changed pages may be "
                     "served for up to %s s.", PAGE_SECONDS, exc_info=True)


def _current_generation(found: dict) -> str:
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY) or generation
    return generation


def is_anonymous_reader(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and all(
        name == settings.CSRF_COOKIE_NAME for name in request.COOKIES
    )


def kept_or_rendered(request: HttpRequest, name: str,
                     render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page called `name` as kept for anonymous readers, or `render()` (kept for the
    next one when it is a plain 200 that sets no cookie)."""
    if not (settings.KEEP_RENDERED_PAGES and is_anonymous_reader(request)):
        return render()
    digest = hashlib.sha256(f"{code_fingerprint()}:{get_language()}:{name}".encode())
    page_key = f"pages:page:{digest.hexdigest()}"
    try:
        found = cache.get_many([GENERATION_KEY, page_key])
        generation = _current_generation(found)
    except Exception:
        # Without the cache the page is still there, rendered for this reader.
        logger.warning("Kept pages are unavailable; rendering.", exc_info=True)
        return render()
    kept = found.get(page_key)
    if kept is not None and kept[0] == generation:
        return HttpResponse(kept[2], content_type=kept[1])
    response = render()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        try:
            cache.set(page_key, (generation, response["Content-Type"], response.content),
                      PAGE_SECONDS)
        except Exception:
            logger.warning("Could not keep a rendered page.", exc_info=True)
    return response
