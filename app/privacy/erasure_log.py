"""The erasure log: the record numbers each erasure removed, in a file outside the database.

A backup restored from before an erasure brings the person back. `flask privacy
reapply-erasures`, run after a restore and before the site is opened, erases every logged
number again and moves each table's counter past them, so that no new record takes a number an
erased person's old links still name. The log holds record numbers and times only: nothing in
it says who anyone was. One JSON object a line, appended; never rewritten.
"""

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from flask import current_app

from app.timeutil import utcnow


@dataclass
class RecordNumbers:
    """Record numbers by table: the tables whose numbers travel in links and email keys.
    The emails about them are found again through those numbers."""

    enquiry: list[int] = field(default_factory=list)
    enquiry_reply: list[int] = field(default_factory=list)
    enrolment: list[int] = field(default_factory=list)
    appointment: list[int] = field(default_factory=list)

    def add(self, other: "RecordNumbers") -> None:
        for name in self.tables():
            getattr(self, name).extend(getattr(other, name))

    @staticmethod
    def tables() -> list[str]:
        return [table.name for table in fields(RecordNumbers)]


def log_path() -> Path | None:
    path = current_app.config.get("ERASURE_LOG_FILE")
    return Path(path) if path else None


def append(numbers: RecordNumbers) -> None:
    """Add one erasure to the log, on disk before this returns. Without a log configured, or
    if it cannot be written, the numbers go to the app's error log instead (numbers only), to
    be added by hand."""
    path = log_path()
    line = json.dumps({"erased_at": utcnow().isoformat(timespec="seconds"), **asdict(numbers)})
    try:
        if path is None:
            raise OSError("ERASURE_LOG_FILE is not set")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(line + "\n")
            log.flush()
            os.fsync(log.fileno())
    except OSError as error:
        current_app.logger.error("erasure not written to the erasure log (%s): %s", error, line)


def read(path: Path) -> tuple[RecordNumbers, int]:
    """Every number in the log, and how many erasures it holds; ValueError naming the line
    for one that is not an erasure."""
    numbers, erasures = RecordNumbers(), 0
    with path.open(encoding="utf-8") as log:
        for line_number, line in enumerate(log, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                numbers.add(RecordNumbers(**{
                    name: [int(number) for number in entry.get(name, [])]
                    for name in RecordNumbers.tables()
                }))
            except (ValueError, TypeError, AttributeError):
                raise ValueError(f"line {line_number} of {path} is not an erasure") from None
            erasures += 1
    return numbers, erasures
