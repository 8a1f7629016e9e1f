"""Load: a mixed workload (mostly reads, some comments and stories) sent at a fixed rate for a
fixed time against gunicorn, then a burst at ten times the rate from one address.

The schedule is open-loop: request i is due at start + i/rate whether or not earlier ones have
been answered, and its latency is counted from when it was due, so a slow server shows as slow
(a closed loop would wait, send less, and hide it). Writes are comments and stories sent by
visitors who opened the form earlier (their CSRF cookie and form tokens are ready), each from
its own loopback address, as different people would; in the burst they all come from one."""

import random
import re
import secrets
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from stress.badinput import hidden_inputs
from stress.client import AddressPool, Visitor, redirected_to
from stress.faults import COMMENT_POSTED, STORY_SENT, story_answers
from stress.report import PhaseResult, percentile
from stress.site import Site, count_in_log

THREADS = 16
BURST_THREADS = 32
BURST_FACTOR = 10
BURST_SECONDS = 5
WORDS = ["fatigue", "hands", "walking", "balance", "stent", "balloon", "Katowice", "relapse",
         "\"warm hands\"", "vision", "heat", "sleep", "bladder", "jugular", "azygos", "zebra"]

# (name, weight): what a visitor does. Reads are most of it; writes are ~8%.
MIX = [
    ("home", 12), ("story list", 10), ("story page", 20), ("search", 14), ("directory", 4),
    ("articles", 5), ("treatment", 4), ("outcomes", 3), ("static file", 5), ("feed", 2),
    ("share form", 3), ("comment form", 3), ("comment", 5), ("story", 2), ("contact", 1),
]
WRITES = {"comment", "story", "contact"}


@dataclass
class Sample:
    name: str
    status: int | None  # None: no answer (timeout, reset)
    latency: float  # from when the request was due
    accepted: str = ""  # the email of an accepted write


class Workload:
    def __init__(self, site: Site, targets: dict, rng: random.Random):
        self.site, self.targets, self.rng = site, targets, rng
        self.local = threading.local()
        home = Visitor(site.url).get("/").text
        self.static = _assets(home) or ["/robots.txt"]

    def schedule(self, count: int) -> list[tuple[str, str, dict | None]]:
        """`count` operations drawn from the mix: (name, path, query)."""
        names = self.rng.choices([n for n, _ in MIX], weights=[w for _, w in MIX], k=count)
        return [(name, *self._where(name)) for name in names]

    def _where(self, name: str) -> tuple[str, dict | None]:
        rng, targets = self.rng, self.targets
        story = rng.choice(targets["stories"])
        treatment = targets["treatment"]
        return {
            "home": ("/", None),
            "story list": ("/stories/", rng.choice([None, {"page": "2"},
                                                    {"result": "little_better"},
                                                    {"procedure_status": "yes", "page": "2"}])),
            "story page": (f"/stories/{story['slug']}/", None),
            "search": ("/search/", {"q": rng.choice(WORDS)}),
            "directory": (rng.choice(["/directory/"] + [f"/directory/{slug}/"
                                                         for slug in targets["entries"]]), None),
            "articles": ("/articles/", None),
            "treatment": (rng.choice([f"/treatments/{treatment}/",
                                      f"/treatments/{treatment}/evidence/"]), None),
            "outcomes": (f"/outcomes/{treatment}/", None),
            "static file": (rng.choice(self.static), None),
            "feed": ("/feeds/stories.rss", None),
            "share form": ("/stories/share/", None),
            "comment form": (f"/comments/story/{story['pk']}/write/", None),
            "comment": (f"/comments/story/{story['pk']}/write/", None),
            "story": ("/stories/share/", None),
            "contact": ("/contact/", None),
        }[name]

    def writer(self, path: str, source: str) -> tuple[Visitor, dict]:
        """A visitor who has the form at `path` open: its hidden fields are ready."""
        visitor = Visitor(self.site.url, source=source)
        response = visitor.get(path)
        response.raise_for_status()
        return visitor, hidden_inputs(response.text)

    def reader(self, source_pool: AddressPool | None, single: str | None) -> Visitor:
        visitor = getattr(self.local, "visitor", None)
        if visitor is None:
            source = single or source_pool.take()
            visitor = self.local.visitor = Visitor(self.site.url, source=source)
        return visitor


def _assets(html: str) -> list[str]:
    """The stylesheets and scripts a page loads (served by WhiteNoise through gunicorn)."""
    return re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html) + \
        re.findall(r'<script[^>]+src="([^"]+)"', html)


def _write_data(name: str, hidden: dict, marker: str) -> tuple[dict, str, str]:
    email = f"{marker}@stress.example"
    if name == "comment":
        answers = {"name": "Anna", "email": email, "body": f"{marker}: thank you."}
        success = COMMENT_POSTED
    elif name == "story":
        answers, success = story_answers(email, marker), STORY_SENT
    else:
        answers = {"name": "Anna", "email": email, "subject": "Hello",
                   "message": f"{marker}: a question."}
        success = "/contact/sent/"
    return {**hidden, **answers}, success, email


def _drive(workload: Workload, plan: list, rate: float, threads: int,
           writers: dict[int, tuple[Visitor, dict]], reader_pool: AddressPool | None,
           single: str | None) -> tuple[list[Sample], float]:
    """Send `plan` at `rate` a second; the samples and the seconds it took to send them all."""
    samples: list[Sample] = []
    lock = threading.Lock()

    def execute(number: int, name: str, path: str, params, due: float) -> None:
        accepted = ""
        status = None
        try:
            if name in WRITES:
                visitor, hidden = writers[number]
                data, success, email = _write_data(name, hidden,
                                                   f"l{number}x{secrets.token_hex(3)}")
                response = visitor.post(path, data)
                if redirected_to(response).startswith(success):
                    accepted = f"{name}:{email}"
            else:
                response = workload.reader(reader_pool, single).get(path, params)
            status = response.status_code
        except requests.RequestException:
            pass
        sample = Sample(name, status, time.monotonic() - due, accepted)
        with lock:
            samples.append(sample)

    started = time.monotonic() + 0.2
    with ThreadPoolExecutor(threads) as pool:
        for number, (name, path, params) in enumerate(plan):
            due = started + number / rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            pool.submit(execute, number, name, path, params, due)
        sent = time.monotonic() - started
    return samples, sent


def _prepare_writers(workload: Workload, plan: list, addresses: AddressPool | None,
                     single: str | None) -> dict[int, tuple[Visitor, dict]]:
    """Open each write's form ahead of the timed run (one visitor per write, or one for all)."""
    writers: dict[int, tuple[Visitor, dict]] = {}
    shared: dict[str, tuple[Visitor, dict]] = {}
    for number, (name, path, _params) in enumerate(plan):
        if name not in WRITES:
            continue
        if single:
            if path not in shared:
                shared[path] = workload.writer(path, single)
            writers[number] = shared[path]
        else:
            writers[number] = workload.writer(path, addresses.take())
    return writers


def run_load(site: Site, result: PhaseResult, *, rate: float, seconds: float) -> None:
    targets = site.targets()
    server = site.server("load")
    server.start()
    try:
        workload = Workload(site, targets, random.Random(1))
        plan = workload.schedule(int(rate * seconds))
        writers = _prepare_writers(workload, plan, AddressPool(30), None)
        time.sleep(6)  # the forms' fill-time checks: these people took a while to type
        samples, sent = _drive(workload, plan, rate, THREADS, writers, AddressPool(31), None)
        log_after_load = server.log_text()

        burst_plan = workload.schedule(int(rate * BURST_FACTOR * BURST_SECONDS))
        single = "127.40.0.1"
        burst_writers = _prepare_writers(workload, burst_plan, None, single)
        workload.local = threading.local()  # readers of the burst all come from `single`
        burst, burst_sent = _drive(workload, burst_plan, rate * BURST_FACTOR, BURST_THREADS,
                                   burst_writers, None, single)
    finally:
        server.stop()
    log = server.log_text()

    accepted = [s.accepted for s in samples + burst if s.accepted]
    found = site.dbtool("find", {
        "stories": [a.split(":", 1)[1] for a in accepted if a.startswith("story:")],
        "comments": [a.split(":", 1)[1] for a in accepted if a.startswith("comment:")],
    })
    stored = set(found["stories"]) | set(found["comments"])
    lost = [a for a in accepted if not a.startswith("contact:") and a.split(":", 1)[1]
            not in stored]

    latencies = [s.latency for s in samples if s.status is not None]
    answered = len(latencies)
    duration = max(sent, max((s.latency for s in samples), default=0.0))
    statuses = Counter(s.status for s in samples)
    unexpected = [s for s in samples
                  if s.status is None or s.status >= 400
                  or (s.name in WRITES and not s.accepted)]
    result.add("offered rate, req/s", rate)
    result.add("requests (seconds)", f"{len(samples)} ({seconds:g})")
    result.add("throughput, answered req/s", round(answered / duration, 1) if duration else 0)
    result.add("latency p50 ms", round(1000 * percentile(latencies, 0.50)))
    result.add("latency p95 ms", round(1000 * percentile(latencies, 0.95)))
    result.add("latency p99 ms", round(1000 * percentile(latencies, 0.99)))
    result.add("statuses", _statuses(statuses))
    result.add("errors (no answer, 4xx, 5xx, write refused)", len(unexpected))
    result.add("5xx responses", sum(1 for s in samples if (s.status or 0) >= 500), "0")
    result.add("'database is locked' in the server log",
               count_in_log(log_after_load, "database is locked"), "0")
    result.add("writes accepted / lost", f"{len(accepted)} / {len(lost)}")
    result.add("lost writes (accepted, not stored)", len(lost), "0")
    burst_statuses = Counter(s.status for s in burst)
    result.add(f"burst: {rate * BURST_FACTOR:g} req/s for {BURST_SECONDS} s from one address",
               _statuses(burst_statuses))
    result.add("burst: 429 answers", burst_statuses[429], "> 0")
    result.add("burst: 5xx responses", sum(1 for s in burst if (s.status or 0) >= 500), "0")
    burst_latencies = [s.latency for s in burst if s.status is not None]
    result.add("burst: latency p95 ms", round(1000 * percentile(burst_latencies, 0.95)))
    result.add("'database is locked', load and burst",
               count_in_log(log, "database is locked"), "0")
    slowest = sorted(
        ((statistics.median([s.latency for s in samples if s.name == name and s.status]), name)
         for name, _ in MIX if any(s.name == name and s.status for s in samples)), reverse=True)
    result.examples += [f"median {1000 * median:.0f} ms: {name}" for median, name in slowest[:4]]
    result.examples += [f"unexpected: {s}" for s in unexpected[:5]]
    result.examples += [f"lost: {a}" for a in lost[:5]]


def _statuses(counter: Counter) -> str:
    return ", ".join(f"{'no answer' if status is None else status}: {count}"
                     for status, count in sorted(counter.items(), key=lambda i: (i[0] is None,
                                                                                i[0] or 0)))
