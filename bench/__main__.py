"""`python -m bench [--quick] [--only SECTION ...]`: run the benchmarks, print the tables and
write them to docs/performance.md. --quick runs smaller sizes and shorter runs, to try the
suite out; --only runs the sections named. Neither writes the document, which holds a whole run.

Every PostgreSQL database the run makes is named with BENCH_DB_PREFIX (default clinic_bench)
and dropped at the end, pass or fail.
"""

import argparse
import tempfile
import time
from pathlib import Path

from . import dispatch, growth, posts, report, slots
from .common import DB_PREFIX, drop_postgres, fresh_postgres, machine, migrated

SECTIONS = ("slots", "posts", "outbox", "growth")
POSTS_DATABASE = f"{DB_PREFIX}_posts"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs; no document")
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="SECTION",
                        help=f"run only this section ({', '.join(SECTIONS)}); no document")
    options = parser.parse_args()
    chosen = options.only or list(SECTIONS)
    if "posts" in chosen:
        posts.require_wrk()
    sizes = (100, 2000) if options.quick else (1000, 100_000)
    try:
        run(options.quick, chosen, sizes, write=not options.quick and not options.only)
    finally:
        for name in [POSTS_DATABASE, dispatch.DATABASE,
                     *(f"{growth.DATABASE}_{size}" for size in sizes)]:
            drop_postgres(name)


def run(quick: bool, chosen: list[str], sizes: tuple[int, int], write: bool) -> None:
    started = time.perf_counter()
    host = machine()
    sections = {}
    if "slots" in chosen:
        print("(d) slots", flush=True)
        sections["Free slots: 12 weeks, 500 appointments"] = report.slots_section(slots.run())
    if "posts" in chosen:
        print("(a) every patient POST under wrk", flush=True)
        with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
            databases = {
                "SQLite": migrated(f"sqlite:///{Path(folder) / 'bench.db'}"),
                "PostgreSQL": migrated(fresh_postgres(POSTS_DATABASE)),
            }
            title = (f"Patient POSTs: wrk, {posts.THREADS} threads, {posts.CONNECTIONS} "
                     f"connections; gunicorn, {posts.WORKERS} sync workers")
            sections[title] = report.posts_section(posts.run(databases, quick))
    if "outbox" in chosen:
        print("(b) outbox dispatch", flush=True)
        sections["Outbox dispatch on PostgreSQL"] = report.dispatch_section(
            *dispatch.run(400 if quick else 2000, 5000 if quick else 100_000)
        )
    if "growth" in chosen:
        print("(c) growth", flush=True)
        sections["The desk's pages as the clinic grows"] = report.growth_section(
            growth.run(*sizes)
        )
    results = report.render(host, sections, time.perf_counter() - started)
    print(results)
    if write:
        report.write(results)


if __name__ == "__main__":
    main()
