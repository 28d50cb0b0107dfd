"""The clinic's timing settings decide when the emails they name are due."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.bookings.service import confirm
from app.extensions import db
from app.models import OutboxMessage

from .bookings.helpers import MONDAY_9AM_BST, SPRING_NOW, ask_for, utc
from .support.programme import patient_on_programme

pytestmark = pytest.mark.time_machine(SPRING_NOW, tick=False)


@pytest.fixture
def app_overrides():
    return {"PROGRAMME_SEND_TIME": "07:30", "PROGRAMME_CLOSING_DAY": 50,
            "BOOKING_REMINDER_TIME": "20:15"}


def due_times(template_prefix: str) -> dict[str, datetime]:
    rows = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.template.like(f"{template_prefix}%"))
    ).scalars()
    return {row.idempotency_key: row.due_at.astimezone(UTC) for row in rows}


def due_at(keys: dict[str, datetime], fragment: str) -> datetime:
    (moment,) = [due for key, due in keys.items() if fragment in key]
    return moment


def test_check_ins_and_the_closing_email_follow_the_send_time_and_closing_day(app):
    # Thursday 25 March 2027, before the clocks go forward on the 28th: every later email is
    # due at 07:30 British Summer Time, 06:30 UTC.
    patient_on_programme(SPRING_NOW)
    due = due_times("programme_")
    assert due_at(due, "week-2") == utc(2027, 4, 8, 6, 30)
    assert due_at(due, "week-6") == utc(2027, 5, 6, 6, 30)
    assert due_at(due, "closing") == utc(2027, 3, 25, 6, 30) + timedelta(days=50)


def test_the_reminder_follows_the_reminder_time(app):
    confirm(ask_for(MONDAY_9AM_BST, SPRING_NOW), now=SPRING_NOW)
    # 20:15 British Summer Time on Sunday 28 March, the evening before.
    assert due_at(due_times("booking_reminder"), ":reminder:") == utc(2027, 3, 28, 19, 15)
