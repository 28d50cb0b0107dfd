"""A copy of the SQLite files taken just after an erasure or a purge holds nothing of the person.

Deleted rows would otherwise stay in the file's free space, and the old pages in the
write-ahead log until SQLite's next checkpoint. Each test has a database file of its own, so
nothing another test wrote can be found in it, and reads the raw bytes of every file.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db

from ..conftest import migrated
from ..support.desk import post_form, sign_in
from .helpers import EMAIL, MESSAGE, NAME, PHONE_E164, person_everywhere
from .test_retention import _asked_at_book

NEEDLES = (NAME, EMAIL, PHONE_E164, MESSAGE)
MOMENT = datetime(2027, 5, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: the files are what is checked."""
    return migrated(f"sqlite:///{tmp_path / 'clinic.db'}")


def files_of(database_url: str) -> list[Path]:
    main = Path(sa.make_url(database_url).database)
    return [path for path in (main, Path(f"{main}-wal"), Path(f"{main}-shm")) if path.exists()]


def found_in_files(database_url: str, *needles: str) -> list[tuple[str, str]]:
    """(file, needle) for each needle in any file's bytes, case-insensitively."""
    found = []
    for path in files_of(database_url):
        data = path.read_bytes().lower()
        found += [(path.name, needle) for needle in needles
                  if needle.lower().encode() in data]
    return found


def test_the_files_hold_nothing_of_an_erased_person(client, staff, database_url):
    with time_machine.travel(MOMENT):
        desk = client
        assert sign_in(desk).status_code == 303
        person_everywhere(desk)
        assert found_in_files(database_url, *NEEDLES), "the search should see them first"
        erased = post_form(desk, "/admin/privacy/", "/admin/privacy/erase", email=EMAIL,
                           confirm=EMAIL)
    assert erased.status_code == 303
    assert found_in_files(database_url, *NEEDLES) == []
    # Some builds of SQLite have it on already; every connection of the app turns it on.
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    assert {path.name for path in files_of(database_url)} >= {"clinic.db", "clinic.db-wal"}


def test_the_files_hold_nothing_of_a_purged_request(runner, database_url):
    now = MOMENT + timedelta(days=400)
    person = _asked_at_book(MOMENT, 1)
    assert found_in_files(database_url, *person)
    with time_machine.travel(now):
        result = runner.invoke(args=["privacy", "purge", "--now", now.isoformat()])
    assert "Deleted 0 enquiries and 1 booking requests" in result.output
    assert found_in_files(database_url, *person) == []
