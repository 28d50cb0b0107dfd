"""Times are stored as UTC instants and shown on the clinic's clock, whatever the server's zone.

conftest.py runs the suite with TZ=America/New_York, so a time that silently took the server's
zone would be five hours out here.
"""

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from app import create_app
from app.enquiries.emails import NOTIFY
from app.enquiries.service import submit_enquiry
from app.models import Enquiry, OutboxMessage
from app.outbox.service import enqueue
from app.timeutil import (
    RepeatedLocalTime,
    SkippedLocalTime,
    clinic_instant,
    format_clinic_time,
)

from .support.clock import AN_ORDINARY_MORNING
from .support.outbox import submission

LONDON = ZoneInfo("Europe/London")

EPOCH_SECONDS = {
    "sqlite": "SELECT CAST(strftime('%s', due_at) AS INTEGER) FROM outbox_message WHERE id = :id",
    "postgresql": "SELECT CAST(extract(epoch FROM due_at) AS BIGINT) FROM outbox_message "
    "WHERE id = :id",
}


def test_the_suite_runs_outside_the_clinic_zone():
    """Without this the other tests here could pass by luck of the server's clock."""
    assert time.tzname == ("EST", "EDT")


@pytest.mark.time_machine(AN_ORDINARY_MORNING, tick=False)
def test_times_written_and_read_back_in_a_fresh_session_are_aware_utc(db, backend):
    """A London wall-clock time is stored as its UTC instant and every time comes back as UTC."""
    enquiry_id = submit_enquiry(submission()).id
    row = enqueue(
        key="time:summer-morning",
        template=NOTIFY,
        to="sam@example.org",
        subject="A time",
        due_at=datetime(2030, 7, 1, 9, 0, tzinfo=LONDON),
        enquiry_id=enquiry_id,
    )
    db.session.flush()
    row_id = row.id
    # Nothing may be read after this commit: on SQLite an open read would lock `fresh` out.
    db.session.commit()

    with Session(db.engine) as fresh:
        stored = fresh.get(OutboxMessage, row_id)
        read_enquiry = fresh.get(Enquiry, enquiry_id)
        times = [stored.due_at, stored.created_at, read_enquiry.created_at, read_enquiry.consent_at]
        stored_seconds = fresh.execute(text(EPOCH_SECONDS[backend]), {"id": row_id}).scalar_one()

    assert all(moment.tzinfo is UTC for moment in times)
    assert stored.due_at == datetime(2030, 7, 1, 8, 0, tzinfo=UTC)
    assert stored_seconds == int(datetime(2030, 7, 1, 8, 0, tzinfo=UTC).timestamp())
    assert stored.created_at == read_enquiry.created_at == AN_ORDINARY_MORNING


def test_a_naive_datetime_is_refused_on_write(db):
    """A time with no zone could mean anything; writing one is an error, and nothing is kept."""
    enqueue(
        key="time:naive",
        template=NOTIFY,
        to="sam@example.org",
        subject="A naive time",
        due_at=datetime(2030, 7, 1, 9, 0),
    )
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).all() == []


@pytest.fixture
def clinic_app():
    """An app for formatting alone; it never opens its database."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    ("instant", "shown"),
    [
        (datetime(2030, 1, 7, 9, 0, tzinfo=UTC), "7 January 2030, 09:00"),  # GMT
        (datetime(2030, 3, 30, 9, 0, tzinfo=UTC), "30 March 2030, 09:00"),  # the day before BST
        (datetime(2030, 3, 31, 8, 0, tzinfo=UTC), "31 March 2030, 09:00"),  # the day BST starts
        (datetime(2030, 7, 1, 8, 0, tzinfo=UTC), "1 July 2030, 09:00"),  # BST
        (datetime(2030, 10, 27, 9, 0, tzinfo=UTC), "27 October 2030, 09:00"),  # GMT again
    ],
)
def test_nine_in_the_morning_in_london_is_shown_as_09_00_all_year(clinic_app, instant, shown):
    assert clinic_app.config["CLINIC_TIMEZONE"] == "Europe/London"
    assert format_clinic_time(instant) == shown


def test_the_same_instant_is_shown_the_same_from_any_zone(clinic_app):
    """An aware time in another zone is shown on the clinic's clock, not its own."""
    new_york = datetime(2030, 7, 1, 4, 0, tzinfo=ZoneInfo("America/New_York"))
    assert format_clinic_time(new_york) == "1 July 2030, 09:00"
    assert format_clinic_time(new_york + timedelta(hours=1), "%H:%M") == "10:00"


@pytest.mark.parametrize(
    ("wall", "instant"),
    [
        (datetime(2027, 3, 28, 0, 59), datetime(2027, 3, 28, 0, 59, tzinfo=UTC)),  # GMT
        (datetime(2027, 3, 28, 2, 0), datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),  # BST
        (datetime(2027, 10, 31, 0, 59), datetime(2027, 10, 30, 23, 59, tzinfo=UTC)),  # BST
        (datetime(2027, 10, 31, 2, 0), datetime(2027, 10, 31, 2, 0, tzinfo=UTC)),  # GMT
    ],
)
def test_a_clinic_time_next_to_a_clock_change_names_one_instant(clinic_app, wall, instant):
    assert clinic_instant(wall) == instant


@pytest.mark.parametrize("minute", [0, 30, 59])
def test_a_clinic_time_the_clocks_skip_is_refused_in_plain_words(clinic_app, minute):
    with pytest.raises(SkippedLocalTime) as refused:
        clinic_instant(datetime(2027, 3, 28, 1, minute))
    assert str(refused.value) == (f"The clocks go forward at 01:00 on 28 March 2027, so "
                                  f"01:{minute:02d} does not exist that day.")


def test_a_clinic_time_the_clocks_repeat_names_two_and_asks_which(clinic_app):
    wall = datetime(2027, 10, 31, 1, 30)
    with pytest.raises(RepeatedLocalTime) as asked:
        clinic_instant(wall)
    assert str(asked.value) == ("The clocks go back at 02:00 on 31 October 2027, so 01:30 "
                                "happens twice that day.")
    assert [(r.label, r.offset) for r in asked.value.readings] == [
        ("01:30 BST, the first", "+01:00"), ("01:30 GMT, the second", "+00:00")]
    assert clinic_instant(wall, 0) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert clinic_instant(wall, 1) == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
