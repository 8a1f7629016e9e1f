"""gunicorn settings for Hindsight: `gunicorn --config deploy/gunicorn.conf.py` from the project
folder (deploy/systemd/hindsight-web.service does this). `make bench` measures this very file.

It serves only the loopback address (or a Unix socket) behind nginx (deploy/nginx.conf), and is
tuned from the environment:

    GUNICORN_BIND      127.0.0.1:8000, or unix:/run/hindsight/gunicorn.sock
    GUNICORN_WORKERS   processes; default one per CPU core
    GUNICORN_THREADS   threads per process; default 4
    GUNICORN_TIMEOUT   seconds a worker may stay silent before it is restarted; default 30
    GUNICORN_ACCESS_LOG  "-" (standard output, the journal under systemd), a file, or "off"
    FORWARDED_ALLOW_IPS  front ends trusted to say who the reader is; default 127.0.0.1,::1
    GUNICORN_CONTROL_SOCKET  a path for gunicorn's control socket; default none
"""

import ipaddress
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise SystemExit(f"{name} must be at least 1, not {value}")
    return value


wsgi_app = "hindsight.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# One process per core served best on machines of this kind (more processes than cores did
# not help), with plain sync workers or 4 threads alike; threads let a slow request (a cold
# outcomes page, a research export) hold one thread rather than a whole process. nginx
# buffers slow clients, so no thread waits on a phone's connection.
workers = _int("GUNICORN_WORKERS", len(os.sched_getaffinity(0)))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to the app open (upstream keepalive)
# A process is replaced now and then, to bound any slow growth in memory; rarely, as a
# replacement costs a Django start (seconds) and the requests queued behind it wait.
max_requests = 50_000
max_requests_jitter = 5_000

# The access log leaves out the query string (search words, filters) and the address: the
# path, status, size and time are enough to run the site.
_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "-")
accesslog = None if _access_log == "off" else _access_log
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "info"
proc_name = "hindsight"

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's control socket (for `gunicornc`) only where asked: its default place, in the home
# folder, would be shared by every gunicorn the user runs. systemctl reload needs none.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


class ClientAddressFromProxy:
    """Put the reader's address, which nginx sends as X-Real-IP, in REMOTE_ADDR.

    Behind nginx every request comes from 127.0.0.1, so without this the rate limits (the
    site's and allauth's) would count the whole world as one visitor, and the audit log would
    show the proxy. The header is believed only from a trusted front end, and always removed,
    so Django never sees one a visitor made up.
    """

    def __init__(self, app, trusted: list[str]):
        self.app = app
        self.trust_all = "*" in trusted
        self.networks = [ipaddress.ip_network(item.strip(), strict=False)
                         for item in trusted if item.strip() and item.strip() != "*"]

    def _trusted(self, peer: str) -> bool:
        if self.trust_all:
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return True  # a Unix socket: only local processes allowed by its mode can connect
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        claimed = environ.pop("HTTP_X_REAL_IP", "").strip()
        if claimed and self._trusted(environ.get("REMOTE_ADDR", "")):
            try:
                environ["REMOTE_ADDR"] = str(ipaddress.ip_address(claimed))
            except ValueError:
                pass
        return self.app(environ, start_response)


def post_worker_init(worker):
    trusted = worker.cfg.forwarded_allow_ips
    if isinstance(trusted, str):
        trusted = trusted.split(",")
    worker.wsgi = ClientAddressFromProxy(worker.wsgi, list(trusted))
