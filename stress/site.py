"""A throwaway Hindsight for one stress run: its own folder, database and demo content, served by
gunicorn on 127.0.0.1, and a small Django process (`stress.dbtool`) that reads the database."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """Settings for the site under test, all through the environment (see hindsight/settings.py):
    a temporary HINDSIGHT_VAR_DIR and SQLite file, or the DATABASE_URL of a throwaway PostgreSQL
    when one is exported (scripts/with-postgres)."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update(
            HINDSIGHT_VAR_DIR=str(workdir / "var"),
            SITE_URL=self.url,
            EMAIL_FILE_PATH=str(workdir / "mail"),
            DEBUG="false",
            PYTHONUNBUFFERED="1",
        )
        env.pop("HINDSIGHT_ENV", None)
        if env.get("DATABASE_URL"):
            self.database = "postgresql"
        else:
            self.database = "sqlite"
            env["SQLITE_PATH"] = str(workdir / "hindsight.sqlite3")
        self.env = env
        self.servers: list[Server] = []
        self._targets: dict | None = None

    def manage(self, *args: str, timeout: float = 180) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=self.env,
                       check=True, timeout=timeout, stdout=subprocess.DEVNULL)

    def prepare(self) -> None:
        """Migrate and load the demo content (a treatment, 38 stories, a directory, articles)."""
        (self.workdir / "mail").mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--no-input", "-v0")
        if self.env.get("CACHE_URL", "").startswith("db://"):
            self.manage("createcachetable")
        self.manage("load_demo")

    def dbtool(self, command: str, payload: dict | None = None, timeout: float = 300) -> dict:
        """Run one stress.dbtool command in a fresh Django process; its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "stress.dbtool", command], cwd=REPO_ROOT, env=self.env,
            input=json.dumps(payload or {}), capture_output=True, text=True, timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"stress.dbtool {command} failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout)

    def targets(self) -> dict:
        """What the phases aim at (demo stories, directory entries...), read once."""
        if self._targets is None:
            self._targets = self.dbtool("targets")
        return self._targets

    def server(self, name: str, *, workers: int = 2, threads: int = 4,
               preload: bool = False) -> "Server":
        """gunicorn as deploy/gunicorn.conf.py runs it on two cores: a process per core with
        four threads each."""
        server = Server(self, name, workers=workers, threads=threads, preload=preload)
        self.servers.append(server)
        return server

    def close(self) -> None:
        for server in self.servers:
            server.kill()


class Server:
    """gunicorn serving the site, in its own process group so that SIGKILL reaches the master
    and every worker at once, mid-request, as a power cut or the OOM killer would."""

    def __init__(self, site: Site, name: str, *, workers: int, threads: int, preload: bool):
        self.site = site
        self.preload = preload
        self.log_path = site.workdir / f"{name}.log"
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, ready_within: float = 60) -> float:
        """Start gunicorn and wait until it answers; seconds it took."""
        if self.process and self.process.poll() is None:
            raise RuntimeError("the server is already running")
        started = time.monotonic()
        command = [
            sys.executable, "-m", "gunicorn", "hindsight.wsgi",
            "--bind", f"127.0.0.1:{self.site.port}",
            "--workers", str(self.workers), "--threads", str(self.threads),
            "--timeout", "30", "--graceful-timeout", "5",
            "--error-logfile", "-", "--log-level", "warning",
        ] + (["--preload"] if self.preload else [])
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=self.site.env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, start_new_session=True,
            )
        self.starts += 1
        deadline = started + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log_path}")
            try:
                # robots.txt touches no database and sets no cookie.
                requests.get(self.site.url + "/robots.txt", timeout=2)
                return time.monotonic() - started
            except requests.RequestException:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer within {ready_within}s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL the whole process group (no-op if it is not running)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self._wait_port_free()
        self.process = None

    def stop(self) -> None:
        """A graceful stop (SIGTERM), then SIGKILL if it takes more than 10 seconds."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def _wait_port_free(self) -> None:
        # A killed worker may outlive the master by a moment; the port must be free to restart.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind(("127.0.0.1", self.site.port))
                    return
                except OSError:
                    time.sleep(0.05)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def count_in_log(text: str, phrase: str) -> int:
    return text.lower().count(phrase.lower())
