"""The results as Markdown tables, written between markers in docs/performance.md."""

import re
from datetime import UTC, datetime
from pathlib import Path

from .common import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "performance.md"
START, END = "<!-- benchmark results: start -->", "<!-- benchmark results: end -->"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


POST_NAMES = {
    "enquiry": "enquiry, every box ticked (POST /enquire)",
    "booking": "booking request for a free slot (POST /book)",
    "check-in": "check-in (POST /checkin/<token>)",
    "confirmation": "address confirmation (POST /programme/confirm/<token>)",
}


def posts_section(runs) -> str:
    rows = []
    for backend in dict.fromkeys(run.backend for run in runs):
        for kind in dict.fromkeys(run.kind for run in runs):
            bare, storage, app = (run.result for run in runs
                                  if run.backend == backend and run.kind == kind)
            for run in (r for r in runs if r.backend == backend and r.kind == kind):
                result = run.result
                rows.append([backend, POST_NAMES[kind], run.server, f"{result.per_second:.0f}",
                             f"{result.p50_ms:.1f}", f"{result.p99_ms:.1f}",
                             f"{result.per_second / bare.per_second:.2f}",
                             f"{result.per_second / storage.per_second:.2f}"])
            ratios = ["", ""]
            if kind == "enquiry":
                ratios = [f"≥ 0.25: {_met(app.per_second >= bare.per_second / 4)}",
                          f"≥ 0.50: {_met(app.per_second >= storage.per_second / 2)}"]
            rows.append([backend, POST_NAMES[kind], "targets", "", "",
                         f"< 50: {_met(app.p99_ms < 50)}", *ratios])
    return _table(["database", "POST", "server", "POSTs/s", "p50 ms", "p99 ms", "× bare Flask",
                   "× driver only"], rows)


def dispatch_section(runs, memory) -> str:
    limit = runs[0].per_second
    rows = [[run.name, str(run.messages), f"{run.per_second:.0f}",
             f"{run.per_second / limit:.2f}", str(run.connections),
             f"{run.messages / max(run.connections, 1):.0f}", str(run.duplicates)]
            for run in runs]
    best = max(run.per_second for run in runs[1:])
    duplicates = sum(run.duplicates for run in runs)
    rows.append(["targets", "", "", f"≥ 0.60: {_met(best >= 0.6 * limit)}", "", "",
                 f"0: {_met(duplicates == 0)}"])
    table = _table(["sender", "messages", "messages/s", "× smtplib", "SMTP connections",
                    "messages per connection", "duplicates"], rows)
    small, large = memory
    ratio = large.peak_rss_mib / small.peak_rss_mib
    memory_table = _table(
        ["messages due", "worker peak RSS (MiB)", "× 1,000 due"],
        [[f"{small.due:,}", f"{small.peak_rss_mib:.1f}", "1.00"],
         [f"{large.due:,}", f"{large.peak_rss_mib:.1f}",
          f"{ratio:.2f} (≤ 1.2: {_met(ratio <= 1.2)})"]],
    )
    return table + "\n\n" + memory_table


def growth_section(runs) -> str:
    rows = []
    sizes = sorted({run.size for run in runs})
    for backend in dict.fromkeys(run.backend for run in runs):
        for page in dict.fromkeys(run.page for run in runs):
            small, large = (next(r for r in runs if r.backend == backend and r.page == page
                                 and r.size == size) for size in sizes)
            ratio = large.ms / small.ms
            same = small.queries == large.queries
            rows.append([backend, page, f"{small.ms:.1f}", f"{large.ms:.1f}",
                         f"{ratio:.2f} ({_met(ratio <= 1.5)})",
                         f"{small.queries} / {large.queries} ({_met(same)})"])
    return _table(["database", "page", f"ms at {sizes[0]:,}", f"ms at {sizes[1]:,}",
                   "ratio (≤ 1.5)", "queries (same at both)"], rows)


def slots_section(runs) -> str:
    baseline, real = runs
    rows = [[run.name, f"{run.ms:.2f}", f"{run.ms / baseline.ms:.1f}", str(run.slots)]
            for run in runs]
    rows.append(["target", f"< 20: {_met(real.ms < 20)}", "", ""])
    return _table(["computation", "ms", "× trivial loop", "slots"], rows)


def render(machine: dict, sections: dict[str, str], seconds: float) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [START, f"Measured {stamp} by `python -m bench` in {seconds:.0f} s on:",
             "", _table(["", ""], [[key, value] for key, value in machine.items()])]
    for title, body in sections.items():
        parts += ["", f"#### {title}", "", body]
    parts.append(END)
    return "\n".join(parts)


def write(results: str, doc: Path = DOC) -> None:
    """Replace the results between the markers, keeping the prose around them."""
    text = doc.read_text() if doc.exists() else f"# Performance\n\n{START}\n{END}\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    doc.write_text(pattern.sub(lambda _: results, text, count=1))
