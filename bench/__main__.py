"""`python -m bench [--quick]`: run every benchmark, print the tables and write
them to docs/performance.md. --quick runs smaller sizes, to try the suite out; it does not
write the document."""

import argparse
import time

from . import dispatch, enquiry, growth, report, slots
from .common import drop_postgres, machine

# Every database the run makes on the PostgreSQL server; dropped at the end, pass or fail.
DATABASES = ["clinic_bench", dispatch.DATABASE]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small sizes; no document")
    quick = parser.parse_args().quick
    sizes = (100, 2000) if quick else (1000, 100_000)
    try:
        run(quick, sizes)
    finally:
        for name in [*DATABASES, *(f"{growth.DATABASE}_{size}" for size in sizes)]:
            drop_postgres(name)


def run(quick: bool, sizes: tuple[int, int]) -> None:
    started = time.perf_counter()
    host = machine()
    sections = {}
    print("(d) slots", flush=True)
    sections["Free slots: 12 weeks, 500 appointments"] = report.slots_section(slots.run())
    print("(a) enquiry form under load", flush=True)
    sections["Enquiry form: gunicorn, 2 sync workers, 8 concurrent visitors"] = (
        report.enquiry_section(enquiry.run(200 if quick else 1000))
    )
    print("(b) outbox dispatch", flush=True)
    sections["Outbox dispatch on PostgreSQL"] = report.dispatch_section(
        *dispatch.run(400 if quick else 2000, 5000 if quick else 100_000)
    )
    print("(c) growth", flush=True)
    sections["The desk's pages as the clinic grows"] = report.growth_section(
        growth.run(*sizes)
    )
    results = report.render(host, sections, time.perf_counter() - started)
    print(results)
    if not quick:
        report.write(results)


if __name__ == "__main__":
    main()
