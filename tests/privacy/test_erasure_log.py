"""The erasure log: each erasure's record numbers, and erasing them again after a restore.

A real backup is taken and restored: SQLite's online backup, PostgreSQL's pg_dump and
pg_restore, as docs/deploy.md has the clinic do.
"""

import json
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import Appointment, Enquiry, OutboxMessage
from app.models.outbox import PENDING

from ..bookings.helpers import ask_for
from ..conftest import FAST_HASHING
from ..support.desk import add_enquiry, post_form, sign_in
from .helpers import EMAIL, MESSAGE, NAME, PHONE_E164, person_everywhere, traces

MOMENT = datetime(2027, 5, 10, 9, 0, tzinfo=UTC)
LATER_NAME, LATER_EMAIL = "Bea Afterwards", "bea.afterwards@example.org"


@pytest.fixture
def erasure_log(tmp_path) -> Path:
    return tmp_path / "erasures.jsonl"


@pytest.fixture
def app_overrides(erasure_log):
    return {**FAST_HASHING, "ERASURE_LOG_FILE": str(erasure_log)}


@pytest.fixture
def desk(client, staff):
    """Signed in at the test's own moment: the desk's idle time-out reads the clock."""
    with time_machine.travel(MOMENT):
        assert sign_in(client).status_code == 303
        yield client


def erase(desk, email: str) -> None:
    response = post_form(desk, "/admin/privacy/", "/admin/privacy/erase", email=email,
                         confirm=email)
    assert response.status_code == 303


def take_backup(database_url: str, folder: Path) -> Path:
    url = sa.make_url(database_url)
    backup = folder / "backup"
    db.session.commit()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database) as source, sqlite3.connect(backup) as copy:
            source.backup(copy)
    else:
        subprocess.run(["pg_dump", "--format=custom", f"--file={backup}", _libpq(url)],
                       check=True)
    return backup


def restore(database_url: str, backup: Path) -> None:
    url = sa.make_url(database_url)
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(backup) as source, sqlite3.connect(url.database) as live:
            source.backup(live)
    else:
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--single-transaction",
                        f"--dbname={_libpq(url)}", str(backup)], check=True)


def _libpq(url: sa.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def test_an_erasure_logs_its_record_numbers_and_nothing_else(desk, erasure_log):
    with time_machine.travel(MOMENT, tick=False):
        enquiry_id, appointment_id = person_everywhere(desk)
        erase(desk, EMAIL)
    text = erasure_log.read_text(encoding="utf-8")
    (line,) = text.splitlines()
    entry = json.loads(line)
    assert entry["enquiry"] == [enquiry_id] and entry["appointment"] == [appointment_id]
    assert len(entry["enquiry_reply"]) == 1 and len(entry["enrolment"]) == 1
    assert entry["erased_at"] == MOMENT.isoformat(timespec="seconds")
    for personal in (NAME, EMAIL, PHONE_E164, MESSAGE, "zofia"):
        assert personal.lower() not in text.lower()


def test_after_a_restore_everyone_erased_since_the_backup_is_erased_again(
    desk, runner, database_url, tmp_path
):
    with time_machine.travel(MOMENT):
        person_everywhere(desk)
        backup = take_backup(database_url, tmp_path)
        # Someone who wrote after the backup, and was erased too: the backup never had them,
        # but their numbers were given out, and their old links name them.
        later = add_enquiry(name=LATER_NAME, email=LATER_EMAIL)
        later_booking = ask_for(None, MOMENT, ["Friday"], name=LATER_NAME, email=LATER_EMAIL)
        erase(desk, EMAIL)
        erase(desk, LATER_EMAIL)
        assert traces(NAME, EMAIL, LATER_NAME) == []

        restore(database_url, backup)
        assert traces(NAME) and traces(EMAIL), "the restore brings the person back"

        result = runner.invoke(args=["privacy", "reapply-erasures"])
        assert result.exit_code == 0, result.output
        assert "2 erasures applied again" in result.output
        assert "1 enquiries, 1 appointments" in result.output
        db.session.expire_all()
        assert traces(NAME, EMAIL, PHONE_E164, MESSAGE, "zofia", LATER_NAME) == []
        assert db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.status == PENDING)) is None

        # The counters the backup put back are moved past every erased number.
        next_enquiry = add_enquiry(name="Noor Next", email="noor@example.org")
        next_booking = ask_for(None, MOMENT, ["Monday"], name="Noor Next",
                               email="noor@example.org")
    assert next_enquiry.id > later.id
    assert next_booking.id > later_booking.id
    assert db.session.get(Enquiry, later.id) is None
    assert db.session.get(Appointment, later_booking.id) is None


def test_a_log_that_is_not_one_is_refused_and_changes_nothing(runner, erasure_log):
    kept = add_enquiry().id
    erasure_log.write_text(json.dumps({"enquiry": [kept]}) + "\nnot an erasure\n",
                           encoding="utf-8")
    result = runner.invoke(args=["privacy", "reapply-erasures"])
    assert result.exit_code == 2
    assert "line 2 of" in result.output and "is not an erasure" in result.output
    assert db.session.get(Enquiry, kept) is not None
