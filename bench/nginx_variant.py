"""The shipped deploy/nginx.conf, made runnable on this machine without touching /etc or ports
below 1024: its paths point into a temporary prefix, and (for the benchmark) the parts between
the `# BEGIN` and `# END` markers make way for one plain-HTTP listener on 127.0.0.1.

Used by `make bench` (bench/web_bench.py) and by hindsight/tests/test_deploy.py (`nginx -t`).
Every replacement must find its text, so a changed deploy/nginx.conf fails loudly here rather
than being measured or tested half-changed.
"""

import os
import re
import subprocess
from pathlib import Path

from servers import stop, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "deploy" / "nginx.conf"
NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")

# What the shipped file names, and what stands in for it under the temporary prefix.
UPSTREAM = "server 127.0.0.1:8000;"
CACHE_DIR = "/var/cache/nginx/hindsight"
STATIC_PARENT = "root /srv/hindsight/var;"
ACCESS_LOG = "/var/log/nginx/hindsight.access.log"
ACME_ROOT = "root /var/www/letsencrypt;"
CERTIFICATE = "/etc/letsencrypt/live/hindsight.example.org/fullchain.pem"
CERTIFICATE_KEY = "/etc/letsencrypt/live/hindsight.example.org/privkey.pem"


def _replace(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"deploy/nginx.conf no longer contains {old!r}")
    return text.replace(old, new)


def _cut(text: str, marker: str, replacement: str) -> str:
    pattern = re.compile(rf"^[ \t]*# BEGIN {marker}\n.*?^[ \t]*# END {marker}\n",
                         re.DOTALL | re.MULTILINE)
    if not pattern.search(text):
        raise ValueError(f"deploy/nginx.conf has no '# BEGIN {marker}' … '# END {marker}'")
    return pattern.sub(lambda _: replacement, text, count=1)


def site_config(prefix: Path, *, upstream: str, var_dir: Path, listen: str | None = None,
                certificate: tuple[Path, Path] | None = None) -> str:
    """deploy/nginx.conf with its paths under `prefix`.

    listen="127.0.0.1:PORT": the benchmark's variant, plain HTTP on that address (no redirect
    server, no TLS). listen=None: every server as shipped, with `certificate` (cert, key)
    standing in for Let's Encrypt's, for `nginx -t`.
    """
    text = SHIPPED.read_text()
    text = _replace(text, UPSTREAM, f"server {upstream};")
    text = _replace(text, CACHE_DIR, str(prefix / "cache"))
    text = _replace(text, STATIC_PARENT, f"root {var_dir};")
    text = _replace(text, ACCESS_LOG, str(prefix / "logs" / "access.log"))
    if listen is not None:
        text = _cut(text, "redirect", "")
        return _cut(text, "tls", f"    listen {listen};\n")
    if certificate is None:
        raise ValueError("The full variant needs a certificate and key.")
    text = _replace(text, ACME_ROOT, f"root {prefix / 'acme'};")
    text = _replace(text, CERTIFICATE, str(certificate[0]))
    return _replace(text, CERTIFICATE_KEY, str(certificate[1]))


def main_config(prefix: Path, site: Path) -> str:
    """A whole nginx.conf around the site file, like Debian's (its http-level gzip and ssl_*
    lines included, so a clash with them shows), with every path under `prefix`."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the static files
    mime = (f"include {MIME_TYPES};" if MIME_TYPES.exists() else
            "types { text/html html; text/css css; application/javascript js; "
            "image/svg+xml svg; application/json json; }")
    temp = prefix / "temp"
    return f"""{user}worker_processes auto;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'logs' / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    {mime}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    gzip on;
    access_log {prefix / 'logs' / 'other.log'};
    client_body_temp_path {temp / 'body'};
    proxy_temp_path {temp / 'proxy'};
    fastcgi_temp_path {temp / 'fastcgi'};
    uwsgi_temp_path {temp / 'uwsgi'};
    scgi_temp_path {temp / 'scgi'};
    include {site};
}}
"""


def write(prefix: Path, site_text: str) -> Path:
    """Write the site and main files under `prefix`; returns the main file."""
    for folder in ("conf", "logs", "cache", "temp", "acme"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    site = prefix / "conf" / "hindsight.conf"
    site.write_text(site_text)
    main = prefix / "conf" / "nginx.conf"
    main.write_text(main_config(prefix, site))
    return main


def check(prefix: Path, main: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the written files."""
    return subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-e", str(prefix / "logs" / "error.log"),
         "-c", str(main)],
        capture_output=True, text=True, timeout=30,
    )


class Running:
    """nginx in the foreground on the written files, stopped on leaving the `with`."""

    def __init__(self, prefix: Path, main: Path, port: int):
        self.prefix, self.main, self.port = prefix, main, port
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Running":
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-e", str(self.prefix / "logs" / "error.log"),
             "-c", str(self.main), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process,
                      what=f"nginx (log: {self.prefix / 'logs' / 'error.log'})")
        return self

    def __exit__(self, *exc) -> None:
        stop(self.process)
