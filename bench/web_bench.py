"""How fast readers are served at 100,000 stories / 300,000 follow-ups, through the shipped nginx
front cache and straight from gunicorn, with the limit and the ceiling measured in the same run.

    uv run python bench/web_bench.py [--seconds S] [--rounds R] [--no-postgres] [--results FILE]

- the limit: nginx serving a static file of the story page's size;
- the story page, the story list with filters and the outcomes page through deploy/nginx.conf's
  front cache, and straight to gunicorn (deploy/gunicorn.conf.py) with no front cache; the story
  page there both as Django keeps it for anonymous readers and rendered each time (with a cookie);
- the ceiling: a bare template view under the same gunicorn (bench/site_urls.py);
- story submissions per second on SQLite and PostgreSQL (bench/submit_bench.py);
- each page type's weight over the wire (gzip) and its requests; the query counts.

Traffic goes only to 127.0.0.1; every measurement lasts a fixed time (--seconds), and the best
of --rounds rounds is kept (other work on the machine only ever slows a round down). With
--results FILE, the figures replace the part of FILE between the web-bench markers.
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import loadgen
import nginx_variant
from _setup import django_setup
from dataset import ensure_dataset
from servers import BENCH_VAR, ROOT, Gunicorn, collect_static, free_port, production_env
from submit_bench import describe as describe_submissions

LIMIT_FILE = BENCH_VAR / "static" / "_bench" / "story-size.html"
MARK_BEGIN = "<!-- web-bench: begin (written by `make bench`) -->"
MARK_END = "<!-- web-bench: end -->"
RENDER_EACH_TIME = {"story rendered": {"Cookie": "hindsight_bench=1"}}
TARGETS = {"front cache ÷ limit": 0.70, "uncached story ÷ bare view": 0.30,
           "story page queries": 5, "filtered list queries": 6, "outcomes cold seconds": 1.0,
           "story page gzip KB": 30}


def _pages() -> dict[str, str]:
    """The addresses measured: a published story with follow-ups, the list filtered by that
    story's own answers (so it is never empty), the outcomes page, and other page types."""
    from articles.models import Article
    from stories.models import Story
    from treatments.models import Treatment

    story = (Story.objects.public().filter(followups__isnull=False).exclude(country="")
             .exclude(ms_type="").order_by("pk").first())
    treatment = Treatment.objects.get(slug="ccsvi-venoplasty")
    filters = (f"result={story.result}&country={story.country}&ms_type={story.ms_type}"
               f"&procedure_status={story.procedure_status}")
    pages = {
        "home": "/",
        "story list": "/stories/",
        "story list, filtered": f"/stories/?{filters}",
        "story page": f"/stories/{story.slug}/",
        "outcomes page": f"/outcomes/{treatment.slug}/",
        "treatment page": f"/treatments/{treatment.slug}/",
        "evidence page": f"/treatments/{treatment.slug}/evidence/",
        "articles": "/articles/",
        "search": "/search/?q=walking",
        "share form": "/stories/share/",
        "directory": "/directory/",
    }
    if article := Article.objects.filter(status=Article.Status.PUBLISHED).first():
        pages["article page"] = f"/articles/{article.slug}/"
    return pages


def _query_counts(pages: dict[str, str]) -> dict[str, int | float]:
    """Queries per page, counted in this process (Django's test client, no network)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(queries)

    def seconds(url: str) -> float:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            client.get(url)
            runs.append(time.perf_counter() - started)
        return sorted(runs)[1]

    counts: dict[str, int | float] = {
        "story page": count(pages["story page"]),
        "story list, filtered": count(pages["story list, filtered"]),
        "story page seconds": seconds(pages["story page"]),
        "story list, filtered seconds": seconds(pages["story list, filtered"]),
    }
    cache.clear()
    started = time.perf_counter()
    counts["outcomes page, cold"] = count(pages["outcomes page"])
    counts["outcomes cold seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    counts["outcomes page, warm"] = count(pages["outcomes page"])
    counts["outcomes warm seconds"] = time.perf_counter() - started
    return counts


class _Assets(HTMLParser):
    """What a browser fetches for a page: stylesheets, icons, scripts, images."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
            self.urls.append(attrs.get("href") or "")
        elif tag in ("script", "img", "iframe", "audio", "video", "source", "embed"):
            self.urls.append(attrs.get("src") or "")
            for candidate in (attrs.get("srcset") or "").split(","):
                self.urls.append(candidate.strip().split(" ")[0])
        elif tag == "object":
            self.urls.append(attrs.get("data") or "")
        self.urls = [url for url in self.urls if url and not url.startswith("data:")]


def _fetch(port: int, path: str) -> tuple[int, int, bytes, bytes]:
    """(status, bytes over the wire, head, body as sent) through nginx, asking for gzip."""
    connection = loadgen.Connection(port)
    try:
        status, head, body = connection.exchange(
            loadgen.get_request(path, headers={"Accept-Encoding": "gzip"}))
    finally:
        connection.close()
    return status, len(head) + len(body), head, body


def _decoded(head: bytes, body: bytes) -> bytes:
    return gzip.decompress(body) if re.search(rb"\r\ncontent-encoding: *gzip", head, re.I) \
        else body


def _weight(port: int, path: str) -> dict:
    status, wire, head, body = _fetch(port, path)
    html = _decoded(head, body).decode("utf-8", errors="replace")
    parser = _Assets()
    parser.feed(html)
    base = f"http://127.0.0.1{path}"
    queue, seen, other_hosts, assets = list(parser.urls), set(), set(), {}
    while queue:
        url = urljoin(base, queue.pop(0))
        parts = urlsplit(url)
        if parts.hostname not in ("127.0.0.1", None):
            other_hosts.add(parts.netloc)
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local in seen:
            continue
        seen.add(local)
        asset_status, asset_wire, asset_head, asset_body = _fetch(port, local)
        assets[local] = (asset_status, asset_wire)
        if local.split("?")[0].endswith(".css"):
            css = _decoded(asset_head, asset_body).decode("utf-8", errors="replace")
            queue += [found.strip("'\" ") for found in re.findall(r"url\(([^)]+)\)", css)
                      if not found.strip("'\" ").startswith("data:")]
    return {
        "status": status, "html_bytes": len(body), "html_wire": wire,
        "assets_wire": sum(w for _, w in assets.values()),
        "total_wire": wire + sum(w for _, w in assets.values()),
        "requests": 1 + len(assets), "other_hosts": sorted(other_hosts),
        "failed_assets": sorted(url for url, (s, _) in assets.items() if s != 200),
    }


def _cache_state(port: int, path: str) -> str:
    """X-Cache of a second request through nginx: HIT when the page is served from the cache."""
    for _ in range(2):
        status, _, head, _ = _fetch(port, path)
    found = re.search(rb"\r\nx-cache: *(\w+)", head, re.I)
    return found.group(1).decode() if found else "none"


def _submissions(seconds: float, postgres: bool) -> list[dict]:
    command = [sys.executable, str(ROOT / "bench" / "submit_bench.py"), "--json",
               "--no-collectstatic", "--seconds", str(seconds)]
    runs = [("sqlite", command)]
    if postgres:
        runs.append(("postgresql", ["bash", str(ROOT / "scripts" / "with-postgres"), *command]))
    figures = []
    for database, argv in runs:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=600)
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        if result.returncode != 0 or not lines:
            figures.append({"database": database, "failed": result.stderr.strip()[-1500:]})
        else:
            figures.append(json.loads(lines[-1]))
    return figures


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    nginx = subprocess.run([nginx_variant.NGINX, "-v"], capture_output=True, text=True)
    import sqlite3

    return (f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, {memory:.0f} GB RAM, "
            f"{platform.system()} {platform.release()}; CPython {platform.python_version()}, "
            f"Django {version('django')}, gunicorn {version('gunicorn')}, "
            f"{nginx.stderr.strip().removeprefix('nginx version: ')}, "
            f"SQLite {sqlite3.sqlite_version} (WAL)")


def _row(label: str, result: loadgen.Result, limit: float) -> str:
    hits = f"{result.cache_hits / result.requests:.0%}" if result.requests else "-"
    bad = result.requests - result.count(lambda s: s == 200) + result.errors
    if result.requests:
        p50 = f"{result.percentile(0.5) * 1000:>9.1f}"
        p99 = f"{result.percentile(0.99) * 1000:>9.1f}"
    else:  # nothing came back within the run and its grace
        p50 = p99 = f"{'>' + format((result.seconds + loadgen.GRACE_SECONDS) * 1000, '.0f'):>9}"
    rate = f"{result.rate:>8,.0f}" if result.rate >= 10 else f"{result.rate:>8.1f}"
    return (f"{label:<40}{rate}{p50}{p99}{result.rate / limit:>8.3f}{hits:>6}"
            f"{bad:>5}{result.unfinished:>5}{result.client_cpu_seconds / result.seconds:>7.2f}")


def _settle(port: int, seconds: float = 30) -> None:
    """Wait until gunicorn answers a cheap page at once: requests given up at the end of the
    last run may still be running there, and would slow the next one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        began = time.monotonic()
        _fetch(port, "/robots.txt")
        if time.monotonic() - began < 0.05:
            return
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=300_000)
    parser.add_argument("--seconds", type=float, default=3, help="per measurement")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--submit-seconds", type=float, default=4)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--results", type=Path, help="Write the figures into this file.")
    args = parser.parse_args()
    began = time.monotonic()
    load_before = os.getloadavg()

    django_setup()
    built = ensure_dataset(args.stories, args.followups)
    pages = _pages()
    queries = _query_counts(pages)
    env = production_env()
    collect_static(env)
    out: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        out.append(line)

    say(f"Machine: {_machine()}")
    say(f"Data set: {built['stories']:,} stories, {built['followups']:,} follow-ups")
    work = Path(tempfile.mkdtemp(prefix="hindsight-web-bench-"))
    with Gunicorn(env, work / "gunicorn.log") as app:
        port = free_port()
        main_conf = nginx_variant.write(work / "nginx", nginx_variant.site_config(
            work / "nginx", upstream=f"127.0.0.1:{app.port}", var_dir=BENCH_VAR,
            listen=f"127.0.0.1:{port}"))
        with nginx_variant.Running(work / "nginx", main_conf, port):
            connection = loadgen.Connection(app.port)
            plain = connection.exchange(loadgen.get_request(pages["story page"]))[2]
            connection.close()
            LIMIT_FILE.parent.mkdir(parents=True, exist_ok=True)
            LIMIT_FILE.write_bytes(plain)
            states = {name: _cache_state(port, pages[name])
                      for name in ("story page", "story list, filtered", "outcomes page")}
            measured = [
                ("limit", f"limit: nginx, static file of {len(plain):,} B", port,
                 "/static/_bench/story-size.html"),
                ("story cached", "story page, front cache", port, pages["story page"]),
                ("list cached", "story list filtered, front cache", port,
                 pages["story list, filtered"]),
                ("outcomes cached", "outcomes page, front cache", port, pages["outcomes page"]),
                ("story direct", "story page, gunicorn uncached", app.port,
                 pages["story page"]),
                # Any cookie but the CSRF one: Django renders the page for this visitor
                # instead of serving the copy it keeps for anonymous readers.
                ("story rendered", "story page, gunicorn, rendered each time", app.port,
                 pages["story page"]),
                ("list direct", "story list filtered, gunicorn uncached", app.port,
                 pages["story list, filtered"]),
                ("outcomes direct", "outcomes page, gunicorn uncached", app.port,
                 pages["outcomes page"]),
                ("bare", "bare template view, gunicorn", app.port, "/_bench/bare/"),
            ]
            best: dict[str, loadgen.Result] = {}
            for round_number in range(args.rounds):
                for key, _, target_port, path in measured:
                    request = loadgen.get_request(path, headers=RENDER_EACH_TIME.get(key))
                    if round_number == 0:
                        loadgen.run(target_port, request, seconds=0.5,
                                    connections=args.connections)
                    result = loadgen.run(target_port, request, seconds=args.seconds,
                                         connections=args.connections)
                    _settle(app.port)
                    if key not in best or result.rate > best[key].rate:
                        best[key] = result
            weights = {name: _weight(port, path) for name, path in pages.items()}
        workers = app.workers_and_threads
    shutil.rmtree(work, ignore_errors=True)  # kept when something failed: the servers' logs
    submissions = _submissions(args.submit_seconds, postgres=not args.no_postgres)

    limit = best["limit"].rate
    say(f"Load: {args.connections} keep-alive connections from 2 client processes on this "
        f"machine, no gzip; {args.seconds:g} s a measurement, best of {args.rounds} rounds. "
        f"gunicorn: {workers}. Load average {load_before[0]:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after.")
    say("Front cache answers (second request): " + ", ".join(
        f"{name} {state}" for name, state in states.items()))
    say()
    say(f"{'what':<40}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'× limit':>8}{'hits':>6}"
        f"{'bad':>5}{'cut':>5}{'client':>7}")
    for key, label, _, _ in measured:
        say(_row(label, best[key], limit))
    ceiling = best["story direct"].rate / best["bare"].rate
    say(f"{'story page uncached ÷ bare template view':<40}{ceiling:>34.3f}")
    rendered = best["story rendered"].rate / best["bare"].rate
    say(f"{'story page rendered ÷ bare template view':<40}{rendered:>34.3f}")
    say("(hits: answered from the front cache; bad: not 200 or failed; cut: still unanswered "
        f"{loadgen.GRACE_SECONDS:g} s after the end; client: the load generator's CPU, in cores)")
    say()
    say(f"Queries: story page {queries['story page']}, story list filtered "
        f"{queries['story list, filtered']}, outcomes page {queries['outcomes page, warm']} "
        f"(summary cached) / {queries['outcomes page, cold']} (cold).")
    say(f"One request in this process (test client, no server): story page "
        f"{queries['story page seconds'] * 1000:.1f} ms, story list filtered "
        f"{queries['story list, filtered seconds'] * 1000:.0f} ms, outcomes page cold "
        f"{queries['outcomes cold seconds']:.2f} s, warm "
        f"{queries['outcomes warm seconds'] * 1000:.1f} ms.")
    say()
    say(f"{'weight over the wire, gzip, via nginx':<42}{'HTML':>8}{'+ assets':>10}{'total':>9}"
        f"{'requests':>10}{'other hosts':>13}")
    for name, weight in weights.items():
        failed = weight["failed_assets"]
        note = f"  (failed: {', '.join(failed)})" if failed else ""
        say(f"{name:<42}{weight['html_wire'] / 1024:>6.1f}KB{weight['assets_wire'] / 1024:>8.1f}"
            f"KB{weight['total_wire'] / 1024:>7.1f}KB{weight['requests']:>10}"
            f"{len(weight['other_hosts']):>13}{note}")
    say("(bytes as sent, headers included; assets: the page's CSS, scripts and images)")
    say()
    say(f"Story submissions through gunicorn, {args.submit_seconds:g} s each, "
        "8 connections, each submission from its own address:")
    for figures in submissions:
        if "failed" in figures:
            say(f"{figures['database']:<11}FAILED: {figures['failed']}")
        else:
            say(describe_submissions(figures))
    say()
    verdicts = _verdicts(best, ceiling, queries, weights, submissions)
    for line in verdicts:
        say(line)
    say(f"(web benchmark: {time.monotonic() - began:.0f} s)")
    if args.results:
        _write_results(args.results, out)


def _verdicts(best, ceiling, queries, weights, submissions) -> list[str]:
    limit = best["limit"].rate
    lines = ["Targets:"]

    def judge(label: str, ok: bool, detail: str) -> None:
        lines.append(f"  {'met   ' if ok else 'MISSED'} {label}: {detail}")

    for key, name in (("story cached", "story page"), ("list cached", "story list filtered"),
                      ("outcomes cached", "outcomes page")):
        share = best[key].rate / limit
        judge(f"{name} through the front cache ≥ 70% of the limit", share >= 0.70,
              f"{share:.0%}")
    judge("uncached story page ≥ 30% of the bare template view", ceiling >= 0.30,
          f"{ceiling:.0%}")
    judge("story page ≤ 5 queries", queries["story page"] <= 5, str(queries["story page"]))
    judge("story list with filters ≤ 6 queries", queries["story list, filtered"] <= 6,
          str(queries["story list, filtered"]))
    judge("outcomes page cold < 1 s", queries["outcomes cold seconds"] < 1.0,
          f"{queries['outcomes cold seconds']:.2f} s (in-process, cache emptied)")
    story = weights["story page"]
    judge("story page < 30 KB compressed with CSS and scripts", story["total_wire"] < 30 * 1024,
          f"{story['total_wire'] / 1024:.1f} KB in {story['requests']} requests")
    judge("no request to any other host", not any(w["other_hosts"] for w in weights.values()),
          ", ".join(sorted({h for w in weights.values() for h in w["other_hosts"]})) or "none")
    for figures in submissions:
        if figures["database"] == "sqlite" and "failed" not in figures:
            judge("submissions on SQLite with 0 'database is locked'",
                  figures["database_is_locked"] == 0 and figures["errors"] == 0
                  and figures["stored"] == figures["accepted"],
                  f"{figures['database_is_locked']} locked, {figures['errors']} errors, "
                  f"{figures['stored']} of {figures['accepted']} accepted stored")
    return lines


def _write_results(path: Path, lines: list[str]) -> None:
    """Replace the web benchmark's part of the results file (the rest is written by hand)."""
    text = path.read_text() if path.exists() else ""
    stamp = datetime.date.today().isoformat()
    block = (f"{MARK_BEGIN}\nLatest `make bench` (web part), {stamp}:\n\n```\n"
             + "\n".join(lines) + f"\n```\n{MARK_END}")
    if MARK_BEGIN in text and MARK_END in text:
        before, _, rest = text.partition(MARK_BEGIN)
        _, _, after = rest.partition(MARK_END)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
    print(f"Figures written to {path}")


if __name__ == "__main__":
    main()
