"""Starting and stopping the benchmark's servers on 127.0.0.1: gunicorn with the shipped
deploy/gunicorn.conf.py, run as production runs it (HINDSIGHT_ENV=production, the database
cache), except for HTTPS, which nginx would add in front."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BENCH_VAR = ROOT / "var" / "bench"  # as in _setup.py; its static/ is the benchmark's STATIC_ROOT
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, *, what: str,
                  seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode} (see its log)")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {seconds:.0f} s")


def stop(process: subprocess.Popen | None, *, grace: float = 15) -> None:
    """Ask a server this benchmark started to finish (SIGTERM), then kill it if it will not."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production app server, on this machine's loopback address.

    HTTPS is nginx's part, so Django does not redirect to it here. A DATABASE_URL already set
    (by scripts/with-postgres) is kept; otherwise SQLite at SQLITE_PATH (the 100,000-story
    data set unless `extra` names another file)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "HINDSIGHT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "CONTACT_EMAIL": "bench@example.invalid",
        "HINDSIGHT_VAR_DIR": str(BENCH_VAR),
        "SQLITE_PATH": str(BENCH_VAR / "bench.sqlite3"),
        "CACHE_URL": "db://",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
        "DJANGO_SETTINGS_MODULE": "site_settings",
    })
    env.update(extra)
    return env


def collect_static(env: dict[str, str]) -> None:
    """Production's static files (hashed names, .gz beside them) into var/bench/static/, and
    the database cache's table (both idempotent; one process, as each Django start costs)."""
    manage(env, "shell", "--no-imports", "-c",
           "from django.core.management import call_command\n"
           "call_command('collectstatic', interactive=False, verbosity=0)\n"
           "call_command('createcachetable')\n")


def manage(env: dict[str, str], *command: str, timeout: float = 600) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py on a free port; its log goes to `log`."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    "GUNICORN_ACCESS_LOG": str(log.with_suffix(".access.log"))}
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self._log_file = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)],
            cwd=ROOT, env=self.env, stdout=self._log_file, stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, what=f"gunicorn (log: {self.log})")
        self._wait_for_workers()
        return self

    def _wait_for_workers(self, seconds: float = 90) -> None:
        """gunicorn listens before its processes have loaded Django (seconds each): until
        then, requests routed to them wait, which would count against the first figures."""
        import loadgen

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            trial = loadgen.run(self.port, loadgen.get_request("/robots.txt"), seconds=0.5,
                                connections=8)
            if trial.requests and not trial.unfinished and not trial.errors:
                return
        raise RuntimeError(f"gunicorn's processes were not all answering after {seconds} s "
                           f"(log: {self.log})")

    def __exit__(self, *exc) -> None:
        stop(self.process)
        self._log_file.close()

    @property
    def workers_and_threads(self) -> str:
        workers = self.env.get("GUNICORN_WORKERS") or str(len(os.sched_getaffinity(0)))
        return f"{workers} processes × {self.env.get('GUNICORN_THREADS') or 4} threads"
