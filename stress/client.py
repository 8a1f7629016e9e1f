"""HTTP for the stress suite. Every request goes to 127.0.0.1; each simulated visitor sends from
its own loopback source address (all of 127.0.0.0/8 is this machine), so the site's per-address
rate limits see many people rather than one, exactly as configured, with no setting changed."""

import re
import threading
from urllib.parse import quote, urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter

HOST = "127.0.0.1"
# (connect, read) seconds: every request is bounded.
TIMEOUT = (3.0, 20.0)
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def encode(value: str) -> bytes:
    """UTF-8, keeping lone surrogates as the bytes a careless client would send."""
    return value.encode("utf-8", "surrogatepass")


def query(pairs) -> str:
    """A query string from (name, value) pairs or a dict; lists give repeated names."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    flat = []
    for name, value in items:
        for one in value if isinstance(value, list | tuple) else [value]:
            flat.append((name, encode(one)))
    return urlencode(flat)


def path_segment(value: str) -> str:
    return quote(encode(value), safe="")


class AddressPool:
    """Distinct loopback source addresses, 127.<block>.x.y, handed out one by one."""

    def __init__(self, block: int):
        if not 2 <= block <= 254:
            raise ValueError("block must be 2..254 (127.0.x.x and 127.1.x.x are left alone)")
        self.block = block
        self._next = 0
        self._lock = threading.Lock()

    def take(self) -> str:
        with self._lock:
            n = self._next
            self._next += 1
        if n >= 254 * 254:
            raise RuntimeError("address pool exhausted")
        return f"127.{self.block}.{n // 254 + 1}.{n % 254 + 1}"


class _BoundAdapter(HTTPAdapter):
    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Visitor:
    """One person's browser: a cookie jar and one source address. Not shared between threads."""

    def __init__(self, base_url: str, source: str = HOST):
        parts = urlsplit(base_url)
        if parts.hostname != HOST:
            raise ValueError(f"the stress suite only sends traffic to {HOST}, not {base_url}")
        self.base_url = base_url.rstrip("/")
        self.source = source
        self.session = requests.Session()
        self.session.trust_env = False  # never a proxy from the environment
        self.session.mount("http://", _BoundAdapter(source))
        self.session.headers["User-Agent"] = "hindsight-stress"

    def url(self, path: str) -> str:
        return path if path.startswith("http://") else self.base_url + path

    def get(self, path: str, params=None, **kwargs) -> requests.Response:
        url = self.url(path)
        if params:
            url += ("&" if "?" in url else "?") + query(params)
        return self.session.get(url, timeout=TIMEOUT, allow_redirects=False, **kwargs)

    def post(self, path: str, data, headers=None) -> requests.Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Referer": self.url(path), **(headers or {})}
        return self.session.post(self.url(path), data=query(data).encode("ascii"),
                                 headers=headers, timeout=TIMEOUT, allow_redirects=False)

    def adopt_cookies(self, other: "Visitor") -> None:
        """Carry another visitor's cookies (the CSRF cookie) so a form token read once works."""
        for cookie in other.session.cookies:
            self.session.cookies.set_cookie(cookie)

    def close(self) -> None:
        self.session.close()


def csrf_token(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    if not match:
        raise ValueError("the page has no CSRF token")
    return match.group(1)


def redirected_to(response: requests.Response) -> str:
    """The path a redirect points to ('' if the response is not a redirect)."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return ""
    return urlsplit(response.headers.get("Location", "")).path
