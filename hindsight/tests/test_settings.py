"""Settings are read in a fresh process for each case, as a server would start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY",
                                                           "DATABASE_URL", "HINDSIGHT_ENV")}
    env.update({"HINDSIGHT_VAR_DIR": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']"
         "['ENGINE'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


def test_debug_is_off_unless_asked(tmp_path):
    result = _start({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_sqlite_is_the_default_and_database_url_selects_postgresql(tmp_path):
    assert "sqlite3" in _start({}, tmp_path).stdout
    result = _start({"DATABASE_URL": "postgres://u:p@127.0.0.1:1/db"}, tmp_path)
    assert "postgresql" in result.stdout, result.stderr


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "x" * 60, "a" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    result = _start({"HINDSIGHT_ENV": "production", "SECRET_KEY": key,
                     "ALLOWED_HOSTS": "example.org"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_key_and_hosts(tmp_path):
    result = _start({"HINDSIGHT_ENV": "production", "SECRET_KEY": "k3y-" + os.urandom(40).hex(),
                     "ALLOWED_HOSTS": "example.org"}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_production_refuses_debug(tmp_path):
    result = _start({"HINDSIGHT_ENV": "production", "SECRET_KEY": os.urandom(40).hex(),
                     "ALLOWED_HOSTS": "example.org", "DEBUG": "1"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_a_junk_boolean_is_refused(tmp_path):
    result = _start({"DEBUG": "perhaps"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_the_sqlite_database_uses_wal_and_immediate_transactions(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HINDSIGHT_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.db import connection\n"
         "c = connection.cursor()\n"
         "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
         " c.execute('PRAGMA busy_timeout').fetchone()[0],"
         " connection.transaction_mode)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.split() == ["wal", "5000", "IMMEDIATE"], result.stderr
