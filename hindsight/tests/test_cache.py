"""CACHE_URL chooses the cache. With db:// (or Redis), separate processes, as several gunicorn
processes or app servers are, share one count of each rate limit; each test starts real
processes, as test_settings.py does."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hindsight.settings import _caches

ROOT = Path(__file__).resolve().parents[2]
COUNT_ONE = (
    "from hindsight.lib.ratelimit import allow\n"
    "print(allow('story-share', '203.0.113.5', limit=1, window_seconds=600))"
)


def _run(tmp_path, *command: str, **env_overrides: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process, on a throwaway SQLite database in tmp_path."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "HINDSIGHT_ENV", "CACHE_URL")}
    env.update({"HINDSIGHT_VAR_DIR": str(tmp_path), **env_overrides})
    return subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _two_processes_count(tmp_path, **env: str) -> list[str]:
    answers = []
    for _ in range(2):
        result = _run(tmp_path, "shell", "--no-imports", "-c", COUNT_ONE, **env)
        assert result.returncode == 0, result.stderr
        answers.append(result.stdout.strip())
    return answers


def test_processes_share_a_rate_limit_count_through_the_database_cache(tmp_path):
    made = _run(tmp_path, "createcachetable", CACHE_URL="db://")
    again = _run(tmp_path, "createcachetable", CACHE_URL="db://")
    assert made.returncode == 0 and again.returncode == 0, made.stderr + again.stderr

    answers = _two_processes_count(tmp_path, CACHE_URL="db://")

    assert answers == ["True", "False"]  # the second is over the limit of 1


def test_without_a_shared_cache_each_process_counts_alone(tmp_path):
    assert _two_processes_count(tmp_path) == ["True", "True"]


def test_the_database_cache_keeps_many_entries_and_uses_the_named_table(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "db://hindsight_cache_2")

    cache = _caches()["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert (cache["LOCATION"], cache["OPTIONS"]["MAX_ENTRIES"]) == ("hindsight_cache_2", 100_000)


def test_no_cache_url_keeps_the_memory_of_one_process(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)

    assert _caches()["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/1", "rediss://cache.internal:6380/0",
                                 "unix:///run/redis/redis.sock?db=2"])
def test_a_redis_url_selects_djangos_redis_cache(monkeypatch, url):
    monkeypatch.setenv("CACHE_URL", url)

    cache = _caches()["default"]

    assert cache == {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}


@pytest.mark.parametrize(("url", "shown"), [
    ("memcached://user:s3cret@127.0.0.1:11211", "memcached://"),
    ("db://bad-table;drop", "db://"),
    ("redis://", "redis://"),
    ("s3cret-but-no-scheme", None),
    ("s3cret/://x", None),
])
def test_a_cache_url_it_does_not_understand_is_refused_without_showing_it(monkeypatch, url,
                                                                           shown):
    monkeypatch.setenv("CACHE_URL", url)

    with pytest.raises(ImproperlyConfigured) as refused:
        _caches()

    message = str(refused.value)
    assert "CACHE_URL" in message and "db://" in message and "redis://" in message
    assert "s3cret" not in message  # the URL may carry a password: it is never shown
    if shown:
        assert f"(starting {shown})" in message


def test_a_bad_cache_url_stops_the_start_with_a_clear_message(tmp_path):
    result = _run(tmp_path, "check", CACHE_URL="memcached://127.0.0.1:11211")

    assert result.returncode != 0
    assert "CACHE_URL (starting memcached://) is not understood" in result.stderr


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_processes_share_a_rate_limit_count_through_redis(tmp_path, redis_url):
    assert _two_processes_count(tmp_path, CACHE_URL=redis_url) == ["True", "False"]
