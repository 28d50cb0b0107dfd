"""(a) The enquiry form under load: the real app against the framework's and storage's limits."""

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from .common import BIN, base_env, free_port, fresh_postgres, migrated, running
from .load import LoadResult, run_load

WORKERS = 2
CONCURRENCY = 8
WARMUP = 40
ROUNDS = 8
# The form page is timed too, for its own cost; it has no target.
PAGES = 400
APPS = {
    "bare Flask (framework limit)": "bench.baselines:bare_app()",
    "driver only (storage limit)": "bench.baselines:storage_app()",
    "the clinic desk /enquire": "app:create_app()",
}


@dataclass
class EnquiryRun:
    backend: str
    name: str
    result: LoadResult
    page: LoadResult


def gunicorn_args(spec: str, port: int) -> list[str]:
    # The same settings for all three: sync workers, a fixed count, no access log.
    return [
        str(BIN / "gunicorn"), "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}",
        "--log-level", "warning", spec,
    ]


def _count_rows(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        enquiries = conn.execute(sa.text("SELECT count(*) FROM enquiry")).scalar()
        outbox = conn.execute(sa.text("SELECT count(*) FROM outbox_message")).scalar()
    engine.dispose()
    return enquiries, outbox


def _empty(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM outbox_message"))
        conn.execute(sa.text("DELETE FROM enquiry"))
    engine.dispose()


def _merge(results: list[LoadResult]) -> LoadResult:
    return LoadResult(
        sum(r.requests for r in results), sum(r.seconds for r in results),
        [latency for r in results for latency in r.latencies], sum(r.errors for r in results),
    )


def measure(backend: str, url: str, submissions: int) -> list[EnquiryRun]:
    """All three servers run at once and take turns, a slice of the load each per round, so
    that whatever else the machine is doing falls on all three alike."""
    _empty(url)
    env = base_env(
        DATABASE_URL=url, ENQUIRY_MIN_FILL_SECONDS=0, RATELIMIT_ENABLED=0, SESSION_COOKIE_SECURE=0,
    )
    ports = {name: free_port() for name in APPS}
    posts: dict[str, list[LoadResult]] = {name: [] for name in APPS}
    pages: dict[str, list[LoadResult]] = {name: [] for name in APPS}
    with contextlib.ExitStack() as stack:
        for name, spec in APPS.items():
            stack.enter_context(running(gunicorn_args(spec, ports[name]), env, port=ports[name]))
        for name in APPS:
            run_load(ports[name], WARMUP, CONCURRENCY)
            run_load(ports[name], WARMUP, CONCURRENCY, method="GET")
        for _ in range(ROUNDS):
            for name in APPS:
                port = ports[name]
                posts[name].append(run_load(port, submissions // ROUNDS, CONCURRENCY))
                pages[name].append(run_load(port, PAGES // ROUNDS, CONCURRENCY, method="GET"))
    writers = len(APPS) - 1  # all but the bare app write rows
    expected = writers * (WARMUP + ROUNDS * (submissions // ROUNDS))
    rows = _count_rows(url)
    errors = sum(r.errors for runs in (posts, pages) for batch in runs.values() for r in batch)
    if errors or rows != (expected, 2 * expected):
        raise RuntimeError(f"{backend}: {errors} errors; rows {rows}, expected {expected}")
    return [EnquiryRun(backend, name, _merge(posts[name]), _merge(pages[name])) for name in APPS]


def run(submissions: int) -> list[EnquiryRun]:
    runs = []
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
        runs += measure("SQLite", migrated(f"sqlite:///{Path(folder) / 'bench.db'}"), submissions)
    runs += measure("PostgreSQL", migrated(fresh_postgres("clinic_bench")), submissions)
    return runs
