"""`make stress`: bad input, faults and load against gunicorn on 127.0.0.1, on a throwaway SQLite
site, then the fault phase again on a throwaway PostgreSQL (scripts/with-postgres). Prints a
summary table and exits 1 when a figure is not what it must be (see stress/README.md)."""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from stress.report import PhaseResult, summary_table
from stress.site import REPO_ROOT, Site, count_in_log

PHASES = ("badinput", "faults", "load")
# The whole run (both databases) ends within this many seconds, whatever hangs.
BUDGET_SECONDS = 900


class Stopped(Exception):
    """Out of time (SIGALRM) or told to stop (SIGTERM, SIGINT): servers are killed on the way
    out by the `finally` blocks, which a plain signal death would skip."""


def _stop(signum, frame):
    raise Stopped("out of time" if signum == signal.SIGALRM
                  else f"stopped by {signal.Signals(signum).name}")


def _phase(name: str, site: Site, args) -> PhaseResult:
    result = PhaseResult(phase=name, database=site.database)
    started = time.monotonic()
    print(f"\n== {name} on {site.database} ==", flush=True)
    try:
        if name == "badinput":
            from stress.badinput import run_bad_input

            server = site.server("badinput")
            server.start()
            try:
                run_bad_input(site, result, limit=args.limit)
            finally:
                server.stop()
            result.add("'database is locked' in the server log",
                       count_in_log(server.log_text(), "database is locked"), "0")
        elif name == "faults":
            from stress.faults import run_faults

            run_faults(site, result, kills=args.kills)
        elif name == "load":
            from stress.load import run_load

            run_load(site, result, rate=args.rate, seconds=args.seconds)
    except Stopped:
        raise
    except Exception as error:  # noqa: BLE001 - reported in the table, the run goes on
        result.error = f"{type(error).__name__}: {error}"
        traceback.print_exc()
    finally:
        site.close()
    result.seconds = time.monotonic() - started
    for example in result.examples:
        print(f"  example: {example}", flush=True)
    print(summary_table([result]), flush=True)
    return result


def _postgres_run(args, workdir: Path, budget: float) -> list[PhaseResult]:
    """The same phases again in a child run against a throwaway PostgreSQL."""
    out = workdir / "postgres.json"
    command = ["bash", "scripts/with-postgres", sys.executable, "-m", "stress",
               "--phases", args.postgres_phases, "--no-postgres", "--json", str(out),
               "--kills", str(args.kills), "--budget", str(int(budget)), "--child"]
    if args.limit:
        command += ["--limit", str(args.limit)]
    # Its own session: if it overruns, SIGTERM reaches the child run (which kills its servers)
    # and with-postgres (which stops and deletes the PostgreSQL server).
    child = subprocess.Popen(command, cwd=REPO_ROOT, start_new_session=True)
    try:
        child.wait(timeout=budget + 30)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=30)
    except Stopped:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=30)
        raise
    if not out.exists():
        failed = PhaseResult(phase="postgresql run", database="postgresql")
        failed.error = f"the PostgreSQL run ended without results (exit {child.returncode})"
        return [failed]
    return [PhaseResult.from_dict(item) for item in json.loads(out.read_text())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stress", description=__doc__)
    parser.add_argument("--phases", default=",".join(PHASES),
                        help="comma-separated, from: " + ", ".join(PHASES))
    parser.add_argument("--postgres-phases", default="faults",
                        help="phases to run again on PostgreSQL (default: faults)")
    parser.add_argument("--no-postgres", action="store_true",
                        help="skip the PostgreSQL run")
    parser.add_argument("--limit", type=int, default=None,
                        help="only N corpus strings, spread over both (a quick try)")
    parser.add_argument("--kills", type=int, default=12, help="SIGKILLs in the fault phase")
    parser.add_argument("--rate", type=float, default=20, help="load: requests a second")
    parser.add_argument("--seconds", type=float, default=30, help="load: how long")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=int, default=BUDGET_SECONDS,
                        help=f"stop after this many seconds (default {BUDGET_SECONDS})")
    args = parser.parse_args(argv)
    args.started = time.monotonic()
    phases = [name.strip() for name in args.phases.split(",") if name.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")

    for signum in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)
    signal.alarm(args.budget)
    workdir = Path(tempfile.mkdtemp(prefix="hindsight-stress."))
    results: list[PhaseResult] = []
    try:
        # One site for the phases, in order: the fault and load phases then also run over the
        # hostile stories the bad-input phase published, and the final checks cover it all.
        site = Site(workdir / "site")
        setup = time.monotonic()
        site.prepare()
        print(f"site ready on {site.database} at {site.url} in "
              f"{time.monotonic() - setup:.0f} s", flush=True)
        for name in phases:
            results.append(_phase(name, site, args))
        if not args.no_postgres and os.environ.get("DATABASE_URL") is None:
            left = args.budget - (time.monotonic() - args.started) - 30
            results += _postgres_run(args, workdir, left)
    except Stopped as error:
        failed = PhaseResult(phase="run", database="-")
        failed.error = f"{error} after {time.monotonic() - args.started:.0f} s"
        results.append(failed)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}")
    if args.json:
        Path(args.json).write_text(json.dumps([result.to_dict() for result in results]))
    failed = [result for result in results if result.failed]
    took = time.monotonic() - args.started
    if args.child:  # the parent run prints one table for both databases
        return 1 if failed else 0
    print("\n" + summary_table(results))
    if failed:
        print(f"\nFAILED ({took:.0f} s): " + ", ".join(
            f"{r.phase} on {r.database}" for r in failed))
        return 1
    print(f"\nAll figures are what they must be ({took:.0f} s).")
    return 0
