"""The shipped deployment files (deploy/): nginx's config parses and caches only what it should,
gunicorn's config hands Django the reader's address and logs no query string, and the systemd
units are valid and name commands that exist.

nginx comes from Debian's package (`make test` installs it through scripts/ensure-nginx);
without it the nginx tests are skipped, saying so.
"""

import gzip
import http.client
import json
import os
import runpy
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
sys.path.append(str(ROOT / "bench"))  # nginx_variant and servers: shared with make bench

import nginx_variant  # noqa: E402
from servers import free_port, stop, wait_for_port  # noqa: E402

needs_nginx = pytest.mark.skipif(
    not os.access(nginx_variant.NGINX, os.X_OK),
    reason=f"nginx is not installed at {nginx_variant.NGINX}: `bash scripts/ensure-nginx` "
           "(run by `make test`) installs Debian's package",
)


def _certificate(folder: Path) -> tuple[Path, Path]:
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed, so no test certificate can be made")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=hindsight.example.org"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


@needs_nginx
def test_the_shipped_nginx_config_passes_nginx_t_with_tls(tmp_path):
    prefix = tmp_path / "nginx"
    site = nginx_variant.site_config(prefix, upstream="127.0.0.1:8000", var_dir=tmp_path,
                                     certificate=_certificate(tmp_path))

    result = nginx_variant.check(prefix, nginx_variant.write(prefix, site))

    assert result.returncode == 0, result.stderr
    assert "ssl_certificate" in site and "listen 443 ssl" in site  # TLS was kept


@needs_nginx
def test_the_benchmarks_plain_http_variant_passes_nginx_t(tmp_path):
    site = nginx_variant.site_config(tmp_path, upstream="127.0.0.1:8000", var_dir=tmp_path,
                                     listen="127.0.0.1:8080")

    result = nginx_variant.check(tmp_path, nginx_variant.write(tmp_path, site))

    assert result.returncode == 0, result.stderr
    assert "ssl" not in site.replace("ssl_", "")


@needs_nginx
def test_nginx_t_refuses_a_broken_config(tmp_path):
    site = nginx_variant.site_config(tmp_path, upstream="127.0.0.1:8000", var_dir=tmp_path,
                                     listen="127.0.0.1:8080")
    site = site.replace("proxy_cache_lock on;", "proxy_cache_lock perhaps;")

    result = nginx_variant.check(tmp_path, nginx_variant.write(tmp_path, site))

    assert result.returncode != 0
    assert "proxy_cache_lock" in result.stderr


class _Upstream(BaseHTTPRequestHandler):
    """Stands in for Django: /public/… is cacheable, /private/… is no-store, /cookie/… is
    cacheable but sets a cookie. Each answer carries how often its path was asked for."""

    protocol_version = "HTTP/1.1"
    hits: dict[str, int] = {}
    seen_headers: dict[str, dict[str, str]] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        hits = type(self).hits
        hits[self.path] = hits.get(self.path, 0) + 1
        type(self).seen_headers[self.path] = dict(self.headers.items())
        body = f"{self.path} #{hits[self.path]}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.path.startswith("/private/"):
            self.send_header("Cache-Control", "no-store")
        else:
            self.send_header("Cache-Control", "public, max-age=60")
        if self.path.startswith("/cookie/"):
            self.send_header("Set-Cookie", "sessionid=abc; Path=/; HttpOnly")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def front_cache(tmp_path):
    """The shipped config in front of a stand-in upstream; yields get(path, headers)."""
    _Upstream.hits, _Upstream.seen_headers = {}, {}
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    static = tmp_path / "var" / "static" / "css"
    static.mkdir(parents=True)
    css = b"body { color: #111; }\n" * 100
    (static / "site.css").write_bytes(css)
    (static / "site.0123456789ab.css").write_bytes(css)
    (static / "site.0123456789ab.css.gz").write_bytes(gzip.compress(css))
    port = free_port()
    prefix = tmp_path / "nginx"
    site = nginx_variant.site_config(
        prefix, upstream=f"127.0.0.1:{upstream.server_address[1]}", var_dir=tmp_path / "var",
        listen=f"127.0.0.1:{port}")

    def get(path: str, **headers: str) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode(errors="replace")
        connection.close()
        return response

    try:
        with nginx_variant.Running(prefix, nginx_variant.write(prefix, site), port):
            yield get
    finally:
        upstream.shutdown()
        upstream.server_close()


@needs_nginx
def test_the_front_cache_serves_anonymous_public_pages_from_the_cache(front_cache):
    first = front_cache("/public/story/")
    second = front_cache("/public/story/")

    assert first.getheader("X-Cache") == "MISS"
    assert second.getheader("X-Cache") == "HIT"
    assert second.text == first.text == "/public/story/ #1"
    assert _Upstream.hits["/public/story/"] == 1


@needs_nginx
@pytest.mark.parametrize("cookie", ["sessionid=s1", "__Host-sessionid=s1",
                                    "hindsight_comments=c1", "theme=dark; sessionid=s1"])
def test_a_session_or_comments_cookie_bypasses_the_cache_and_is_never_stored(front_cache,
                                                                              cookie):
    front_cache("/public/page/")  # now in the cache

    personal = front_cache("/public/page/", Cookie=cookie)
    fresh = front_cache("/public/fresh/", Cookie=cookie)
    anonymous = front_cache("/public/fresh/")

    assert personal.getheader("X-Cache") == "BYPASS"
    assert personal.text == "/public/page/ #2"
    assert fresh.getheader("X-Cache") == "BYPASS"
    assert anonymous.getheader("X-Cache") == "MISS"  # the personal answer was not stored
    assert anonymous.text == "/public/fresh/ #2"


@needs_nginx
def test_other_cookies_still_get_the_cached_page(front_cache):
    front_cache("/public/page/")

    response = front_cache("/public/page/", Cookie="csrftoken=t; notsessionid=x")

    assert response.getheader("X-Cache") == "HIT"


@needs_nginx
def test_no_store_answers_and_answers_that_set_a_cookie_are_never_cached(front_cache):
    for path in ("/private/my/", "/cookie/share/"):
        front_cache(path)
        again = front_cache(path)
        assert again.getheader("X-Cache") != "HIT", path
        assert _Upstream.hits[path] == 2, path


@needs_nginx
def test_htmx_requests_bypass_the_cache(front_cache):
    front_cache("/public/thread/")

    response = front_cache("/public/thread/", **{"HX-Request": "true"})

    assert response.getheader("X-Cache") == "BYPASS"


@needs_nginx
def test_django_is_told_the_readers_address_and_never_one_a_visitor_made_up(front_cache):
    front_cache("/public/who/", **{"X-Real-IP": "203.0.113.66",
                                   "X-Forwarded-For": "203.0.113.66",
                                   "Accept-Encoding": "gzip"})

    seen = {name.lower(): value for name, value in _Upstream.seen_headers["/public/who/"].items()}
    assert seen["x-real-ip"] == "127.0.0.1"
    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    assert "accept-encoding" not in seen  # nginx compresses; one stored copy suits everyone


@needs_nginx
def test_static_files_with_a_hashed_name_are_kept_a_year_and_served_precompressed(
        front_cache):
    hashed = front_cache("/static/css/site.0123456789ab.css", **{"Accept-Encoding": "gzip"})
    plain = front_cache("/static/css/site.css")

    assert hashed.status == 200
    assert hashed.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert hashed.getheader("Content-Encoding") == "gzip"  # the .gz beside it (gzip_static)
    assert hashed.getheader("X-Content-Type-Options") == "nosniff"
    assert plain.getheader("Cache-Control") == "max-age=3600"
    assert not _Upstream.hits  # nginx answered both itself


@needs_nginx
def test_the_browsers_icon_request_never_reaches_django(front_cache):
    response = front_cache("/favicon.ico")

    assert response.status == 204
    assert not _Upstream.hits


def _gunicorn_config(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
                 "GUNICORN_ACCESS_LOG", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_serves_only_the_loopback_address_with_workers_from_the_environment(
        monkeypatch):
    default = _gunicorn_config(monkeypatch)
    tuned = _gunicorn_config(monkeypatch, GUNICORN_WORKERS="5", GUNICORN_THREADS="2",
                             GUNICORN_BIND="unix:/run/hindsight/gunicorn.sock")

    assert default["bind"] == ["127.0.0.1:8000"]
    assert default["workers"] == len(os.sched_getaffinity(0))
    assert default["wsgi_app"] == "hindsight.wsgi:application"
    assert default["control_socket_disable"] is True  # none in a home folder shared by all
    assert (tuned["workers"], tuned["threads"]) == (5, 2)
    assert tuned["bind"] == ["unix:/run/hindsight/gunicorn.sock"]


@pytest.mark.parametrize("value", ["many", "0", "-2"])
def test_gunicorn_refuses_a_bad_worker_count_with_a_clear_message(monkeypatch, value):
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS"):
        _gunicorn_config(monkeypatch, GUNICORN_WORKERS=value)


class _Worker:
    def __init__(self, trusted: list[str]):
        self.cfg = type("Cfg", (), {"forwarded_allow_ips": trusted})()
        self.wsgi = lambda environ, start_response: environ


@pytest.mark.parametrize(("peer", "claimed", "trusted", "expected"), [
    ("127.0.0.1", "203.0.113.7", ["127.0.0.1", "::1"], "203.0.113.7"),
    ("", "2001:db8::7", ["127.0.0.1"], "2001:db8::7"),  # a Unix socket
    ("10.0.0.5", "203.0.113.7", ["10.0.0.0/24"], "203.0.113.7"),
    ("198.51.100.1", "203.0.113.7", ["127.0.0.1"], "198.51.100.1"),  # not our proxy
    ("127.0.0.1", "not-an-address", ["127.0.0.1"], "127.0.0.1"),
    ("127.0.0.1", "", ["127.0.0.1"], "127.0.0.1"),
])
def test_the_readers_address_is_believed_only_from_a_trusted_front_end(monkeypatch, peer,
                                                                       claimed, trusted,
                                                                       expected):
    config = _gunicorn_config(monkeypatch)
    worker = _Worker(trusted)
    config["post_worker_init"](worker)
    environ = {"REMOTE_ADDR": peer}
    if claimed:
        environ["HTTP_X_REAL_IP"] = claimed

    seen = worker.wsgi(environ, None)

    assert seen["REMOTE_ADDR"] == expected
    assert "HTTP_X_REAL_IP" not in seen


def test_gunicorn_with_the_shipped_config_gives_the_app_the_readers_address(tmp_path):
    port = free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1",
           "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log")}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py"),
         "hindsight.tests.echo_wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server, what="gunicorn")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/stories/?q=private+words",
                           headers={"X-Real-IP": "203.0.113.9"})
        seen = json.loads(connection.getresponse().read())
        connection.close()
    finally:
        stop(server)

    assert seen == {"remote_addr": "203.0.113.9", "x_real_ip": None, "path": "/stories/"}
    log = (tmp_path / "access.log").read_text()
    assert '"GET /stories/ HTTP/1.1" 200' in log
    assert "private" not in log and "203.0.113.9" not in log


def _units(tmp_path) -> Path:
    """The units with /srv/hindsight pointing at this checkout, so their commands exist."""
    folder = tmp_path / "units"
    folder.mkdir()
    for unit in (DEPLOY / "systemd").iterdir():
        (folder / unit.name).write_text(unit.read_text().replace("/srv/hindsight", str(ROOT)))
    return folder


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is missing")
def test_the_systemd_units_are_valid(tmp_path):
    folder = _units(tmp_path)

    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in folder.iterdir())],
        capture_output=True, text=True, timeout=60, cwd=folder,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == ""


def test_every_command_the_units_run_exists(tmp_path):
    from django.core.management import get_commands

    named = set()
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text()
        named |= {line.split("manage.py ", 1)[1].split()[0] for line in text.splitlines()
                  if "manage.py " in line and not line.startswith("#")}
        named |= {line.split("hindsight-manage@", 1)[1].removesuffix(".service")
                  for line in text.splitlines() if line.startswith("Unit=hindsight-manage@")}
    named.discard("%i")

    assert {"send_reminders", "send_moderation_digest", "backup", "db_worker",
            "createcachetable"} <= named
    assert named <= set(get_commands()), named - set(get_commands())


def test_every_task_queue_has_a_worker_unit_and_the_email_worker_skips_exports(settings):
    served = {}
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=") and "manage.py db_worker" in line:
                words = line.split()
                served[unit.name] = words[words.index("--queue-name") + 1]

    assert sorted(served.values()) == sorted(settings.TASK_QUEUES), served
    assert served["hindsight-worker.service"] == "default"
    assert served["hindsight-export-worker.service"] == "research"
    from research.tasks import build_research_export

    assert build_research_export.queue_name == "research"


def test_the_web_unit_makes_the_cache_table_before_it_starts():
    unit = (DEPLOY / "systemd" / "hindsight-web.service").read_text()

    assert "ExecStartPre=/srv/hindsight/.venv/bin/python manage.py createcachetable" in unit
    assert "--config deploy/gunicorn.conf.py" in unit


def test_every_timer_starts_a_unit_that_is_shipped():
    shipped = {p.name for p in (DEPLOY / "systemd").iterdir()}
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        lines = timer.read_text().splitlines()
        unit = next((line.split("=", 1)[1] for line in lines if line.startswith("Unit=")),
                    timer.name.replace(".timer", ".service"))
        template = unit.split("@")[0] + "@.service" if "@" in unit else unit
        assert template in shipped, (timer.name, unit)
