"""Story submissions per second through gunicorn (deploy/gunicorn.conf.py), on SQLite or
PostgreSQL, with every error counted.

    uv run python bench/submit_bench.py [--seconds S] [--connections N] [--json]
    bash scripts/with-postgres uv run python bench/submit_bench.py      # on PostgreSQL

Each submission is the share form posted as a person sends it (CSRF cookie and token, every
answer) into a fresh database (a copy of a migrated template on SQLite), each from an address
of its own in X-Real-IP, as nginx would send it: the site's limit of 10 stories an hour per
address is not what is measured, and it proves the app servers see the reader's address.
Afterwards every accepted submission must be in the database, and the server's log is
searched for "database is locked".
"""

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import loadgen
from servers import BENCH_VAR, Gunicorn, collect_static, manage, production_env

TEMPLATE = BENCH_VAR / "submissions-template.sqlite3"
TITLE = "Bench submission"
FORM = {
    "procedure_status": "yes", "treated_month": "3", "treated_year": "2011",
    "country": "PL", "city": "Katowice", "clinic": "A private clinic",
    "treated_by": "Dr Example", "procedure_kind": "balloon", "veins": ["left_jugular", "azygos"],
    "result": "little_better", "symptom_fatigue": "better", "symptom_walking": "same",
    "change_onset": "week", "complications": ["none"], "treated_again": "no",
    "cost_amount": "9000", "cost_currency": "USD",
    "body": "My fatigue lifted within a week and my hands were warm for the first time.",
    "ms_type": "rrms", "diagnosis_year": "2004", "age_band": "40_49", "sex": "female",
    "display_name": "Anna", "consent_publish": "on", "consent_statistics": "on",
}
PREPARE = (  # in one process: each Django start costs seconds
    "from django.core.management import call_command\n"
    "call_command('migrate', interactive=False, verbosity=0)\n"
    "call_command('createcachetable')\n"
    "from treatments.content import CCSVI_VENOPLASTY\n"
    "from treatments.models import Treatment\n"
    "fields = dict(CCSVI_VENOPLASTY)\n"
    "Treatment.objects.get_or_create(slug=fields.pop('slug'), defaults=fields)\n"
)
COUNT_STORED = (
    "from stories.models import Story\n"
    f"print(Story.objects.filter(title__startswith={TITLE!r}).count())\n"
)


def _prepare(env: dict[str, str]) -> None:
    manage(env, "shell", "--no-imports", "-c", PREPARE)


def _form_tokens(port: int) -> tuple[str, str, str]:
    """(cookie header, CSRF token, treatment id) from the share form."""
    status, head, body = loadgen.Connection(port).exchange(loadgen.get_request("/stories/share/"))
    if status != 200:
        raise RuntimeError(f"GET /stories/share/ answered {status}")
    cookie = re.search(rb"\r\nset-cookie: *((?:__Host-)?csrftoken=[^;]+)", head, re.IGNORECASE)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    treatment = re.search(rb'name="treatment" value="(\d+)"', body)
    if not (cookie and token and treatment):
        raise RuntimeError("The share form no longer has a CSRF cookie, token or treatment.")
    return cookie.group(1).decode(), token.group(1).decode(), treatment.group(1).decode()


def measure(*, seconds: float, connections: int, static: bool = True) -> dict:
    """Submit for `seconds` on the database the environment selects (SQLite: a fresh copy).
    static=False: the caller has just run collectstatic."""
    work = Path(tempfile.mkdtemp(prefix="hindsight-submit-"))
    try:
        env = production_env()
        if static:
            collect_static(env)
        if not os.environ.get("DATABASE_URL"):
            database = work / "submissions.sqlite3"
            env["SQLITE_PATH"] = str(database)
            if not TEMPLATE.exists():
                TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
                _prepare({**env, "SQLITE_PATH": str(TEMPLATE)})
            shutil.copyfile(TEMPLATE, database)
        started = time.perf_counter()
        _prepare(env)
        prepared = time.perf_counter() - started
        log = work / "gunicorn.log"
        with Gunicorn(env, log) as server:
            cookie, token, treatment = _form_tokens(server.port)

            def submission(index: int) -> bytes:
                fields = {**FORM, "csrfmiddlewaretoken": token, "treatment": treatment,
                          "title": f"{TITLE} {index}", "email": f"bench{index}@example.invalid"}
                address = f"10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255}"
                return loadgen.post_request(
                    "/stories/share/", urlencode(fields, doseq=True).encode(),
                    headers={"Cookie": cookie, "X-Real-IP": address},
                )

            result = loadgen.run(server.port, submission, seconds=seconds,
                                 connections=connections)
            workers = server.workers_and_threads
        stored = int(manage(env, "shell", "--no-imports", "-c", COUNT_STORED).strip())
        server_log = log.read_text(errors="replace")
        accepted = result.statuses.get(302, 0)
        return {
            "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
            "gunicorn": workers,
            "connections": connections,
            "seconds": result.seconds,
            "prepare_seconds": prepared,
            "accepted": accepted,
            "per_second": accepted / result.seconds if result.seconds else 0.0,
            "p50_ms": result.percentile(0.5) * 1000,
            "p99_ms": result.percentile(0.99) * 1000,
            "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
            "errors": result.requests - accepted + result.errors,
            "database_is_locked": server_log.count("database is locked"),
            "server_errors_logged": len(re.findall(r"^Internal Server Error", server_log,
                                                   re.MULTILINE)),
            "stored": stored,
        }
    except Exception as error:
        log = work / "gunicorn.log"
        tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
        raise RuntimeError(f"{error}\n--- end of the server's log ---\n{tail}") from error
    finally:
        shutil.rmtree(work, ignore_errors=True)


def describe(figures: dict) -> str:
    statuses = ", ".join(f"{k}: {v}" for k, v in figures["statuses"].items())
    return (f"{figures['database']:<11}{figures['per_second']:>9.1f}/s  "
            f"p50 {figures['p50_ms']:.0f} ms  p99 {figures['p99_ms']:.0f} ms  "
            f"accepted {figures['accepted']}, stored {figures['stored']}, "
            f"errors {figures['errors']}, 'database is locked' {figures['database_is_locked']} "
            f"(answers: {statuses})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument("--no-collectstatic", action="store_true",
                        help="var/bench/static/ is already up to date.")
    args = parser.parse_args()
    figures = measure(seconds=args.seconds, connections=args.connections,
                      static=not args.no_collectstatic)
    print(json.dumps(figures) if args.json else describe(figures))
    sys.exit(0)


if __name__ == "__main__":
    main()
