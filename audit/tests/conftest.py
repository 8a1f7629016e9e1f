import io
import json
import logging
import logging.handlers

import pytest


class AuditLog:
    """What the `hindsight.audit` logger wrote, formatted as its configured handler formats it."""

    def __init__(self, stream: io.StringIO):
        self.stream = stream

    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[str]:
        """Split on "\\n" only: a line is what a log reader or `tail` sees as one."""
        text = self.text()
        assert text == "" or text.endswith("\n")
        return text.split("\n")[:-1]

    def events(self) -> list[dict]:
        return [json.loads(line) for line in self.lines()]

    def actions(self) -> list[str]:
        return [event["event"] for event in self.events()]


@pytest.fixture
def audit_log():
    logger = logging.getLogger("hindsight.audit")
    # The "audit" handler from settings.LOGGING (pytest adds its own capturing handlers).
    configured = next(handler for handler in logger.handlers if type(handler) in (
        logging.StreamHandler, logging.handlers.WatchedFileHandler))
    assert configured.formatter._fmt == "%(message)s"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured.formatter)
    logger.addHandler(handler)
    yield AuditLog(stream)
    logger.removeHandler(handler)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block leaves for after the commit (the log lines) when the block ends, as a
    real commit would: tests run inside a transaction that is never committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def fast_passwords(settings):
    """Tests that sign in many times hash passwords cheaply (the real hasher takes ~0.3 s)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
