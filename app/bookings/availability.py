"""Which slots are free now: the diary read from the database, laid out by app.bookings.slots.

Busy time is every confirmed appointment and every request whose hold has not run out, each
with the buffer around it. Offered times are not held: accepting one checks it again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, text

from app.extensions import db
from app.models import Appointment
from app.models.booking import CONFIRMED, REQUESTED, BookingSettings
from app.timeutil import clinic_zone, utcnow

from . import slots
from .diary import booking_settings, closures_between, opening_hours, rules_from

# Any fixed number will do: every booking change in every process takes the same lock.
DIARY_LOCK_KEY = 4_202_612


def lock_the_diary() -> None:
    """Make the rest of this transaction the only booking change running.

    A free-slot check followed by an insert is safe only if no other check runs in between.
    SQLite already runs every transaction under BEGIN IMMEDIATE (app.database); PostgreSQL
    takes an advisory lock that ends with the transaction.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DIARY_LOCK_KEY})


def busy_intervals(start: datetime, end: datetime, now: datetime,
                   ignore_id: int | None = None) -> list[slots.Interval]:
    """Confirmed appointments and live holds overlapping [start, end)."""
    query = select(Appointment.starts_at, Appointment.ends_at).where(
        Appointment.starts_at < end,
        Appointment.ends_at > start,
        or_(
            Appointment.status == CONFIRMED,
            and_(Appointment.status == REQUESTED, Appointment.hold_until > now),
        ),
    )
    if ignore_id is not None:
        query = query.where(Appointment.id != ignore_id)
    return [slots.Interval(s, e) for s, e in db.session.execute(query)]


@dataclass(frozen=True)
class Diary:
    """The part of the diary the lock does not guard (the desk changes it without the lock):
    the settings, the opening hours and the closures around now. A booking reads it before it
    takes the lock, which then covers only what is busy."""

    settings: BookingSettings
    rules: slots.BookingRules
    hours: list[slots.OpeningPeriod]
    closures: list[slots.Interval]
    start: datetime
    end: datetime


def read_diary(now: datetime) -> Diary:
    settings = booking_settings()
    rules = rules_from(settings)
    # Wide enough for the buffer on either side of the first and last slot.
    margin = rules.length + rules.buffer + timedelta(days=1)
    start, end = now - margin, now + rules.horizon + margin
    hours = [slots.OpeningPeriod(p.weekday, p.opens, p.closes) for p in opening_hours()]
    closures = [slots.Interval(c.starts_at, c.ends_at) for c in closures_between(start, end)]
    return Diary(settings, rules, hours, closures, start, end)


def _diary(now: datetime, ignore_id: int | None = None, diary: Diary | None = None):
    diary = diary or read_diary(now)
    busy = busy_intervals(diary.start, diary.end, now, ignore_id)
    return diary.rules, diary.hours, diary.closures, busy


def free_slots(now: datetime | None = None) -> list[slots.Slot]:
    """Every (start, end) a patient may book now, in UTC and in order."""
    now = now or utcnow()
    rules, hours, closures, busy = _diary(now)
    return slots.free_slots(rules, hours, closures, busy, now, clinic_zone())


def is_free(start: datetime, now: datetime | None = None, ignore_id: int | None = None,
            diary: Diary | None = None) -> bool:
    """Whether `start` is a free slot on the grid now; `ignore_id`'s own hold does not count.
    `diary`, if the caller has read it already (`read_diary`)."""
    now = now or utcnow()
    rules, hours, closures, busy = _diary(now, ignore_id, diary)
    return slots.is_start_free(start, rules, hours, closures, busy, now, clinic_zone())


def overlapping_confirmed(start: datetime, end: datetime,
                          ignore_id: int | None = None) -> Appointment | None:
    """A confirmed appointment sharing any time with [start, end), if there is one."""
    query = select(Appointment).where(
        Appointment.status == CONFIRMED,
        Appointment.starts_at < end,
        Appointment.ends_at > start,
    )
    if ignore_id is not None:
        query = query.where(Appointment.id != ignore_id)
    return db.session.execute(query.limit(1)).scalar_one_or_none()


def appointment_length() -> timedelta:
    return timedelta(minutes=booking_settings().appointment_minutes)
