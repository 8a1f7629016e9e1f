"""Shared set-up for the benchmarks: a throwaway data set beside the code (var/bench/), never the
site's own database. DATABASE_URL, if set, selects PostgreSQL instead of the SQLite file."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"


def django_setup() -> None:
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HINDSIGHT_VAR_DIR", str(BENCH_VAR))
    os.environ.setdefault("SQLITE_PATH", str(BENCH_VAR / "bench.sqlite3"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hindsight.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def database_label() -> str:
    from django.db import connection

    return connection.vendor
