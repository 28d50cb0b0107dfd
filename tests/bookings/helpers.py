"""A diary with the default hours, patients asking for times, and reading what they are sent."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import func, select

from app.bookings.diary import load_defaults
from app.bookings.requests import BookingRequest, request_appointment
from app.bookings.service import free_slots
from app.extensions import db
from app.models import Appointment, OutboxMessage

LONDON = ZoneInfo("Europe/London")
URL = re.compile(r"https?://\S+")
# Thursday 25 March 2027, three days before the clocks go forward.
SPRING_NOW = datetime(2027, 3, 25, 12, 0, tzinfo=UTC)
# Monday 29 March 2027, 09:00 British Summer Time.
MONDAY_9AM_BST = datetime(2027, 3, 29, 8, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ask_for(start: datetime | None, now: datetime, preferred: list[str] | None = None,
            name: str = "Ana Silva", email: str = "ana@example.org") -> Appointment:
    load_defaults()
    return request_appointment(
        BookingRequest(patient_name=name, email=email, phone="+447710466880",
                       reason="Low back pain", consent_contact=True,
                       start=start, preferred_times=preferred or []),
        now=now,
    )


def wanting(now: datetime, name: str = "Ana Silva", email: str = "ana@example.org"):
    """A request with preferred times and no slot, for the desk to confirm at any time."""
    return ask_for(None, now, ["Any weekday morning"], name=name, email=email)


def soon_slot(days_ahead: int = 3) -> datetime:
    """The first free slot `days_ahead` days from now on the test's clock (which the test sets
    with time-machine), for pages that read the time themselves."""
    load_defaults()
    wanted = datetime.now(UTC) + timedelta(days=days_ahead)
    return next(start for start, _ in free_slots() if start >= wanted)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def ics_of(message) -> Calendar:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


def has_ics(message) -> bool:
    return any(p.get_content_type() == "text/calendar" for p in message.iter_attachments())


def link_with(message, fragment: str) -> str:
    return next(url for url in URL.findall(text_of(message)) if fragment in url)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def outbox_keys() -> list[str]:
    return list(
        db.session.execute(
            select(OutboxMessage.idempotency_key).order_by(OutboxMessage.id)
        ).scalars()
    )


def counts() -> dict:
    return {
        "appointments": db.session.scalar(select(func.count()).select_from(Appointment)),
        "outbox": db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    }


def fresh(appointment: Appointment) -> Appointment:
    db.session.expire_all()
    return db.session.get(Appointment, appointment.id)
