"""After a backup is restored: every erasure in the erasure log applied again."""

from pathlib import Path

from app import audit
from app.database import clear_erased_from_files, never_issue_again
from app.extensions import db

from .erasure_log import RecordNumbers, read
from .service import erase_messages_about, erase_records


def reapply_erasures(path: Path) -> tuple[int, dict[str, int]]:
    """Erase again, in one transaction, every record the log names that the database holds,
    with the emails about them, and keep each table's counter past every logged number.
    Returns how many erasures the log holds, and how many records were found again."""
    numbers, erasures = read(path)
    counts = {"emails": erase_messages_about(numbers.enquiry, numbers.appointment),
              **erase_records(numbers)}
    for table in RecordNumbers.tables():
        logged = getattr(numbers, table)
        if logged:
            never_issue_again(table, max(logged))
    audit.record("erase", "person", None, detail=f"again from the erasure log of {erasures}: "
                 + ", ".join(f"{number} {name}" for name, number in counts.items()),
                 commit=False)
    db.session.commit()
    clear_erased_from_files()
    return erasures, counts
