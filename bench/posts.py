"""(a) Every POST a patient makes, under wrk: the clinic against the framework's and the
storage's limits (bench.baselines).

The three servers run at once under the same gunicorn settings and take turns, one wrk run
of each per round, so that whatever else the machine is doing falls on all three alike. wrk
(2 threads, 8 connections) sends each POST from bench/wrk.lua, which takes every request from
a file of forms written here, each a new one: its own submission key, or the link of another
patient (a check-in's week, an address to confirm), as the same form again would be a
resubmission and save nothing.
"""

import contextlib
import json
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .common import BIN, PROJECT_ROOT, base_env, free_port, running
from .forms import KINDS, Pools, form_lines, prepare, rows_written

WRK = shutil.which("wrk")
LUA = PROJECT_ROOT / "bench" / "wrk.lua"
WORKERS, THREADS, CONNECTIONS = 2, 2, 8
SERVERS = {
    "bare Flask (framework limit)": "bench.baselines:bare_app()",
    "driver only (storage limit)": "bench.baselines:storage_app()",
    "the clinic desk": "app:create_app()",
}
WRITERS = {"driver only (storage limit)": "sto", "the clinic desk": "app"}
# More POSTs a second than a writing server answers here: each is given that many new forms
# (the bare app writes nothing, so forms it sends again change nothing).
RATE_CEILING = 4000


@dataclass
class WrkResult:
    """One wrk run, or rounds of them merged: the rate over them all, the median of their
    medians and the worst of their 99th percentiles."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int = 0
    wrapped: int = 0

    @classmethod
    def from_json(cls, text: str) -> "WrkResult":
        return cls(**json.loads(text))

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def merged(results: list[WrkResult]) -> WrkResult:
    return WrkResult(
        sum(r.requests for r in results), sum(r.seconds for r in results),
        statistics.median(r.p50_ms for r in results), max(r.p99_ms for r in results),
    )


@dataclass
class PostRun:
    backend: str
    kind: str
    server: str
    result: WrkResult


def require_wrk() -> str:
    if WRK is None:
        raise SystemExit("make bench measures with wrk: install Debian's package 'wrk' "
                         "(apt-get install wrk)")
    return WRK


def gunicorn_args(spec: str, port: int) -> list[str]:
    # The same settings for all three: sync workers, a fixed count, no access log.
    return [
        str(BIN / "gunicorn"), "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}",
        "--log-level", "warning", spec,
    ]


def wrk(port: int, lines: Path, cookie: str, seconds: float) -> WrkResult:
    output = subprocess.run(
        [require_wrk(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(lines), cookie or "-",
         str(THREADS)],
        capture_output=True, text=True, check=True, timeout=seconds + 120,
    ).stdout
    found = re.search(r"^\{.*\}$", output, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    return WrkResult.from_json(found.group(0))


def measure(backend: str, url: str, seconds: float, rounds: int, warmup: float
            ) -> list[PostRun]:
    per_run = round(RATE_CEILING * max(seconds, warmup))
    pools = Pools.made(url, per_run * (rounds + 1))
    env = base_env(
        DATABASE_URL=url, ENQUIRY_MIN_FILL_SECONDS=0, RATELIMIT_ENABLED=0,
        SESSION_COOKIE_SECURE=0,
    )
    ports = {name: free_port() for name in SERVERS}
    results: dict[tuple[str, str], list[WrkResult]] = {}
    with tempfile.TemporaryDirectory(prefix="clinic-bench-wrk-") as folder, \
            contextlib.ExitStack() as servers:
        for name, spec in SERVERS.items():
            servers.enter_context(running(gunicorn_args(spec, ports[name]), env, port=ports[name]))
        page = prepare(ports["the clinic desk"])
        for number in range(rounds + 1):  # round 0 warms every server and path up
            for kind in KINDS:
                for name in SERVERS:
                    writer = WRITERS.get(name, "app")  # the bare app writes nothing
                    lines = Path(folder) / "forms.txt"
                    lines.write_text(form_lines(kind, writer, number, per_run, page, pools))
                    result = wrk(ports[name], lines, page.cookie,
                                 warmup if number == 0 else seconds)
                    if result.errors or (name in WRITERS and result.wrapped):
                        raise RuntimeError(f"{backend} {kind} {name}: {result}")
                    results.setdefault((kind, name), []).append(result)
    _check_rows(backend, url, pools, results)
    return [PostRun(backend, kind, name, merged(results[kind, name][1:]))
            for kind in KINDS for name in SERVERS]


def _check_rows(backend: str, url: str, pools: Pools, results) -> None:
    """Every POST a writer answered left its rows (one more may have been written as wrk
    stopped, never one fewer)."""
    for name, writer in WRITERS.items():
        written = rows_written(url, writer, pools)
        answered = {kind: sum(r.requests for r in results[kind, name]) for kind in KINDS}
        short = {kind: (written[kind], answered[kind]) for kind in KINDS
                 if written[kind] < answered[kind]}
        if short:
            raise RuntimeError(f"{backend} {name}: rows written, POSTs answered: {short}")


def run(databases: dict[str, str], quick: bool) -> list[PostRun]:
    """`databases`: backend name → the URL of a migrated, empty database of its own."""
    seconds, rounds, warmup = (2, 2, 1) if quick else (5, 6, 2)
    runs = []
    for backend, url in databases.items():
        print(f"    {backend}", flush=True)
        runs += measure(backend, url, seconds, rounds, warmup)
    return runs
