"""Shared test set-up: background tasks run at once, mail lands in the outbox, and browser tests
drive Debian's Chromium (Playwright cannot download its own browser on these machines)."""

import os

import pytest

# pytest-django's live_server runs the site in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    from hindsight.testing import tasks_run_by

    settings.TASKS = tasks_run_by("django_tasks.backends.immediate.ImmediateBackend")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _keep_rendered_pages(settings):
    """As on a site with a shared CACHE_URL (tests run in one process, so memory is shared)."""
    settings.KEEP_RENDERED_PAGES = True


@pytest.fixture(autouse=True)
def _erasure_journal(settings, tmp_path_factory):
    """Erasures made by tests never reach the site's own journal (var/erasures.jsonl)."""
    settings.ERASURE_JOURNAL = tmp_path_factory.getbasetemp() / "erasures.jsonl"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def context(context):
    """Every browser test also fails if the page broke its Content-Security-Policy: Chromium
    reports each refused script, style or frame on the console."""
    refused = []

    from hindsight.axe import axe_is_running

    def listen(message) -> None:
        if "Content Security Policy" in message.text and not axe_is_running():
            where = message.location.get("url") or (message.page.url if message.page else "")
            line = message.location.get("lineNumber")
            refused.append(f"{where}:{line}: {message.text}")

    context.on("console", listen)
    yield context
    assert not refused, "Content-Security-Policy violations:\n" + "\n".join(refused)
