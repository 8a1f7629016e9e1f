"""A small HTTP/1.1 load generator for the benchmarks: keep-alive connections to 127.0.0.1, each
sending its next request as soon as the last answer is read, for a fixed time.

Plain sockets and threads, in a few processes so that Python's own lock does not become the
limit; it parses only the status line, Content-Length or chunked framing, and one header. It
never sends traffic anywhere but the loopback address.
"""

import multiprocessing
import re
import resource
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"
_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[ \t]*chunked", re.IGNORECASE)
_CLOSE = re.compile(rb"\r\nconnection:[ \t]*close", re.IGNORECASE)
# Served by the front cache: a fresh copy, or the old one while another request refreshes it.
_FROM_CACHE = re.compile(rb"\r\nx-cache:[ \t]*(HIT|UPDATING|STALE)", re.IGNORECASE)
# A request still unanswered this long after the end of a run is given up (and counted).
GRACE_SECONDS = 2.0


def get_request(path: str, *, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", "User-Agent: hindsight-bench"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def post_request(path: str, body: bytes, *, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}", "User-Agent: hindsight-bench",
             "Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Connection:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int, timeout: float = 30):
        self.port, self.timeout = port, timeout
        self.sock: socket.socket | None = None
        self.buffer = bytearray()

    def _connect(self) -> None:
        self.sock = socket.create_connection((HOST, self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer.clear()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _fill(self) -> None:
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("closed by the server")
        self.buffer += chunk

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def _line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            self._fill()
        return self._take(end + 2)[:-2]

    def exchange(self, request: bytes, *, timeout: float | None = None) -> tuple[int, bytes, bytes]:
        """Send one request; returns (status, head, body)."""
        if self.sock is None:
            self._connect()
        self.sock.settimeout(timeout or self.timeout)
        self.sock.sendall(request)
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._fill()
        head = self._take(end + 4)
        status = int(head[9:12])
        if match := _LENGTH.search(head):
            body = self._take(int(match.group(1)))
        elif _CHUNKED.search(head):
            parts = []
            while size := int(self._line().split(b";")[0], 16):
                parts.append(self._take(size))
                self._take(2)
            while self._line():  # trailers, then the empty line
                pass
            body = b"".join(parts)
        elif status in (204, 304) or request.startswith(b"HEAD "):
            body = b""
        else:
            while True:
                try:
                    self._fill()
                except ConnectionError:
                    break
            body = bytes(self.buffer)
            self.buffer.clear()
            self.close()
        if _CLOSE.search(head):
            self.close()
        return status, head, body


@dataclass
class Result:
    seconds: float
    latencies: list[float]
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    late: int = 0  # answered after the end of the run: in the latencies, not in the rate
    unfinished: int = 0
    cache_hits: int = 0
    client_cpu_seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return (self.requests - self.late) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Latency in seconds below which `share` of the requests finished (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    def count(self, accepted: Callable[[int], bool]) -> int:
        return sum(n for status, n in self.statuses.items() if accepted(status))


def _worker(port: int, threads: int, start_at: float, seconds: float, first_index: int,
            stride: int, make_request: Callable[[int], bytes], queue) -> None:
    statuses, latencies, counters = Counter(), [], {"errors": 0, "hits": 0, "unfinished": 0,
                                                 "late": 0}
    lock = threading.Lock()
    deadline = start_at + seconds

    def run(index: int) -> None:
        connection = Connection(port)
        local_latencies, local_statuses, errors, hits, unfinished, late = [], Counter(), 0, 0, 0, 0
        while time.time() < start_at:
            time.sleep(0.001)
        while (now := time.time()) < deadline:
            request = make_request(index)
            index += stride
            began = time.perf_counter()
            try:
                status, head, _ = connection.exchange(
                    request, timeout=deadline + GRACE_SECONDS - now)
            except TimeoutError:
                if time.time() >= deadline:
                    unfinished += 1
                else:
                    errors += 1
                connection.close()
                continue
            except (OSError, ValueError):
                errors += 1
                connection.close()
                continue
            local_latencies.append(time.perf_counter() - began)
            local_statuses[status] += 1
            if time.time() > deadline:
                late += 1
            if _FROM_CACHE.search(head):
                hits += 1
        connection.close()
        with lock:
            latencies.extend(local_latencies)
            statuses.update(local_statuses)
            counters["errors"] += errors
            counters["hits"] += hits
            counters["unfinished"] += unfinished
            counters["late"] += late

    workers = [threading.Thread(target=run, args=(first_index + n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    queue.put((latencies, statuses, counters, time.time()))


def run(port: int, make_request: Callable[[int], bytes] | bytes, *, seconds: float,
        connections: int = 16, processes: int = 2) -> Result:
    """Keep `connections` busy for `seconds`; make_request(i) gives the i-th request (each i
    used once across all connections), or one fixed request for all."""
    if isinstance(make_request, bytes):
        fixed = make_request
        make_request = lambda _index: fixed  # noqa: E731
    processes = max(1, min(processes, connections))
    per_process = [connections // processes + (n < connections % processes)
                   for n in range(processes)]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start_at = time.time() + 0.3
    children, first = [], 0
    for threads in per_process:
        # Connection c of all `connections` uses indexes c, c + connections, c + 2·connections…
        child = context.Process(target=_worker, args=(
            port, threads, start_at, seconds, first, connections, make_request, queue))
        child.start()
        children.append(child)
        first += threads
    result = Result(seconds=seconds, latencies=[])
    finished = start_at
    for _ in children:
        latencies, statuses, counters, ended = queue.get(timeout=seconds + GRACE_SECONDS + 120)
        result.latencies.extend(latencies)
        result.statuses.update(statuses)
        result.errors += counters["errors"]
        result.cache_hits += counters["hits"]
        result.unfinished += counters["unfinished"]
        result.late += counters["late"]
        finished = max(finished, min(ended, start_at + seconds))
    for child in children:
        child.join(timeout=30)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.seconds = finished - start_at
    result.client_cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime
                                                                        - before.ru_stime)
    return result
