"""What the desk reads about bookings: the dashboard's lists, the week, search, free times.

Reads only; every change goes through app.bookings.service. Each function runs a fixed
number of queries whatever the number of appointments, so the desk stays quick as the
diary fills up.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import g
from sqlalchemy import select

from app.bookings.errors import SlotUnavailable
from app.bookings.service import (
    appointments_between,
    appointments_for_email,
    closures_between,
    current_feed,
    feed_secret,
    free_slots,
    is_free,
    open_requests,
    reschedule_requests,
)
from app.extensions import db
from app.links import public_url
from app.models import Appointment, CalendarFeed, Closure
from app.models.booking import CANCELLED, CONFIRMED, DECLINED, OFFERED, REQUESTED
from app.models.types import contains_text
from app.pagination import Page, paginate
from app.timeutil import as_utc, clinic_zone, utcnow

PAGE_SIZE = 25
NEWEST_FIRST = (Appointment.created_at.desc(), Appointment.id.desc())
STATUS_LABELS = {
    REQUESTED: "Request waiting for you",
    OFFERED: "Times offered, waiting for the patient",
    CONFIRMED: "Confirmed",
    DECLINED: "Declined",
    CANCELLED: "Cancelled",
}


def local_day(moment: datetime) -> date:
    return as_utc(moment).astimezone(clinic_zone()).date()


def day_bounds(first: date, days: int = 1) -> tuple[datetime, datetime]:
    """[start, end) in UTC of `days` whole local days from `first`: 23 or 25 hours long on
    the days the clocks change, which a fixed 24-hour step would get wrong."""
    zone = clinic_zone()
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(first + timedelta(days=days), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class DeskBookings:
    requests: list[Appointment]
    reschedules: list[Appointment]
    today: list[Appointment]
    later_this_week: list[Appointment]


def dashboard_bookings(now: datetime | None = None) -> DeskBookings:
    """Three queries: open requests, reschedule requests, and this week's appointments.

    Kept on `g` so the dashboard's two blocks share one read.
    """
    if "desk_bookings" in g:
        return g.desk_bookings
    now = now or utcnow()
    today = local_day(now)
    start, end = day_bounds(today, 7 - today.weekday())
    week = appointments_between(start, end)
    g.desk_bookings = DeskBookings(
        requests=open_requests(),
        reschedules=reschedule_requests(),
        today=[a for a in week if local_day(a.starts_at) == today],
        later_this_week=[a for a in week if local_day(a.starts_at) != today],
    )
    return g.desk_bookings


@dataclass
class DiaryDay:
    day: date
    appointments: list[Appointment] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)


def diary_week(monday: date) -> list[DiaryDay]:
    """Monday to Sunday in the clinic's zone: confirmed appointments, requests still holding
    a time, and closures (a closure over several days shows on each)."""
    start, end = day_bounds(monday, 7)
    days = {monday + timedelta(days=n): DiaryDay(monday + timedelta(days=n)) for n in range(7)}
    for appointment in appointments_between(start, end, statuses=(CONFIRMED, REQUESTED)):
        days[local_day(appointment.starts_at)].appointments.append(appointment)
    for closure in closures_between(start, end):
        for day, diary_day in days.items():
            day_start, day_end = day_bounds(day)
            if as_utc(closure.starts_at) < day_end and as_utc(closure.ends_at) > day_start:
                diary_day.closures.append(closure)
    return list(days.values())


def find_appointments(text: str = "", page: int = 1) -> Page:
    """One page of appointments whose patient name or email contains `text`, newest first;
    a page past the end comes back empty. Counted up to the cap in app.pagination."""
    statement = select(Appointment)
    if text:
        statement = statement.where(
            contains_text(text, Appointment.patient_name, Appointment.email)
        )
    return paginate(statement, NEWEST_FIRST, page, PAGE_SIZE)


def slot_choices(now: datetime | None = None) -> dict[str, list[tuple[str, str]]]:
    """Free slots grouped by local day, as select options whose values are ISO UTC starts."""
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    zone = clinic_zone()
    for start, _ in free_slots(now):
        local = start.astimezone(zone)
        grouped[local.strftime("%A %-d %B %Y")].append(
            (start.astimezone(UTC).isoformat(), local.strftime("%H:%M %A %-d %B"))
        )
    return dict(grouped)


def make_sure_free(appointment: Appointment, start: datetime) -> None:
    """Refuse a time that is no longer a free slot (taken, held for another patient, or
    past) before asking the service, whose lock and database guard still decide last."""
    if not is_free(start, ignore_id=appointment.id):
        raise SlotUnavailable("Sorry, that time is no longer free: someone has booked it or "
                              "it has passed. Please choose another time.")


def closures_with_appointments(now: datetime | None = None) -> list[tuple[Closure, list]]:
    """Closures not yet over, each with the confirmed appointments inside it (two queries)."""
    now = now or utcnow()
    closures = list(
        db.session.execute(
            select(Closure).where(Closure.ends_at > now).order_by(Closure.starts_at)
        ).scalars()
    )
    if not closures:
        return []
    inside = appointments_between(
        min(c.starts_at for c in closures) - timedelta(days=1), max(c.ends_at for c in closures)
    )
    return [
        (closure, [a for a in inside
                   if as_utc(a.starts_at) < as_utc(closure.ends_at)
                   and as_utc(a.ends_at) > as_utc(closure.starts_at)])
        for closure in closures
    ]


def enquiry_appointments(email: str) -> list[Appointment]:
    return appointments_for_email(email)


def local_moment(iso_text: str) -> datetime:
    return datetime.fromisoformat(iso_text)


def shift_weeks(monday: date, weeks: int) -> date:
    return monday + timedelta(weeks=weeks)


@dataclass
class CalendarAddress:
    """The diary's subscription as the settings page shows it: `url` is None when there is
    no address, or when the one issued no longer works (SECRET_KEY changed since)."""

    feed: CalendarFeed | None
    url: str | None = None

    @property
    def webcal_url(self) -> str | None:
        # Phones open webcal:// in their calendar app, ready to subscribe.
        return None if self.url is None else "webcal://" + self.url.split("://", 1)[1]


def calendar_address() -> CalendarAddress:
    feed = current_feed()
    secret = feed_secret(feed) if feed is not None else None
    return CalendarAddress(feed, public_url("bookings.diary_feed", secret=secret)
                           if secret else None)
