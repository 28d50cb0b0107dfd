"""The diary's shape: booking settings, opening hours and closures, and their defaults.

Each function that changes something commits it; the desk calls them from its settings pages.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.models import Appointment, BookingSettings, Closure, OpeningPeriod
from app.models.booking import CONFIRMED

from .errors import BookingError
from .slots import BookingRules
from .slots import OpeningPeriod as Period

MONDAY_TO_FRIDAY = range(5)
DEFAULT_HOURS = ((time(9), time(13)), (time(14), time(18)))
SETTING_NAMES = (
    "appointment_minutes",
    "buffer_minutes",
    "minimum_notice_hours",
    "horizon_days",
    "hold_hours",
    "clinic_address",
)


def booking_settings() -> BookingSettings:
    """The settings row; before `load_defaults` has run, an unsaved row of defaults."""
    found = db.session.execute(
        select(BookingSettings).order_by(BookingSettings.id).limit(1)
    ).scalar_one_or_none()
    return found if found is not None else _default_settings()


def _default_settings() -> BookingSettings:
    # Column defaults apply only on insert; an unsaved row is given the same ones by hand.
    return BookingSettings(**{
        column.key: column.default.arg
        for column in BookingSettings.__table__.columns
        if column.default is not None and column.default.is_scalar
    })


def rules_from(settings: BookingSettings) -> BookingRules:
    return BookingRules(
        length=timedelta(minutes=settings.appointment_minutes),
        buffer=timedelta(minutes=settings.buffer_minutes),
        minimum_notice=timedelta(hours=settings.minimum_notice_hours),
        horizon=timedelta(days=settings.horizon_days),
    )


def load_defaults() -> str:
    """Create the settings row and Mon-Fri 09:00-13:00, 14:00-18:00, each only if missing.

    Safe to run on every start: what the osteopath has set is never overwritten.
    """
    done = []
    if db.session.execute(select(BookingSettings.id).limit(1)).first() is None:
        db.session.add(_default_settings())
        done.append("booking settings")
    if db.session.execute(select(OpeningPeriod.id).limit(1)).first() is None:
        for weekday in MONDAY_TO_FRIDAY:
            for opens, closes in DEFAULT_HOURS:
                db.session.add(OpeningPeriod(weekday=weekday, opens=opens, closes=closes))
        done.append("opening hours Mon-Fri 09:00-13:00, 14:00-18:00")
    db.session.commit()
    return f"added {', '.join(done)}" if done else "nothing to add: the diary is already set up"


def update_settings(**values) -> BookingSettings:
    """Change any of SETTING_NAMES; the rules apply to slots offered from now on."""
    unknown = set(values) - set(SETTING_NAMES)
    if unknown:
        raise BookingError(f"Unknown booking settings: {', '.join(sorted(unknown))}.")
    settings = booking_settings()
    for name, value in values.items():
        setattr(settings, name, value)
    # Checked here as well as by the database, so the desk gets words and not an IntegrityError.
    rules_from(settings)
    if settings.horizon_days <= 0:
        raise BookingError("Patients must be able to book at least one day ahead.")
    db.session.add(settings)
    db.session.commit()
    return settings


def opening_hours() -> list[OpeningPeriod]:
    """Every opening period, by weekday and time."""
    return list(
        db.session.execute(
            select(OpeningPeriod).order_by(OpeningPeriod.weekday, OpeningPeriod.opens)
        ).scalars()
    )


def overlapping_periods(periods: Iterable[tuple[time, time]]) -> str:
    """Plain words naming two periods of one day that share time, or "" when none do."""
    ordered = sorted(periods)
    for (opens, closes), (next_opens, next_closes) in zip(ordered, ordered[1:], strict=False):
        if next_opens < closes:
            return (f"{opens:%H:%M}-{closes:%H:%M} and {next_opens:%H:%M}-{next_closes:%H:%M} "
                    "overlap.")
    return ""


def set_opening_hours(periods: Iterable[tuple[int, time, time]]) -> list[OpeningPeriod]:
    """Replace the whole week with (weekday 0=Monday, opens, closes) local times.

    Appointments already confirmed stay as they are, even outside the new hours. Raises
    BookingError, changing nothing, if a period ends before it starts or two on a day overlap.
    """
    try:
        checked = [Period(weekday, opens, closes) for weekday, opens, closes in periods]
    except ValueError as error:
        raise BookingError(f"Those opening hours cannot be used: {error}.") from None
    for weekday in range(7):
        problem = overlapping_periods((p.start, p.end) for p in checked if p.weekday == weekday)
        if problem:
            raise BookingError(problem)
    db.session.execute(delete(OpeningPeriod))
    for period in checked:
        db.session.add(OpeningPeriod(weekday=period.weekday, opens=period.start,
                                     closes=period.end))
    db.session.commit()
    return opening_hours()


def closures_between(start: datetime, end: datetime) -> list[Closure]:
    """Closures that overlap [start, end), in time order."""
    return list(
        db.session.execute(
            select(Closure)
            .where(Closure.ends_at > start, Closure.starts_at < end)
            .order_by(Closure.starts_at)
        ).scalars()
    )


def add_closure(starts_at: datetime, ends_at: datetime, reason: str = "") -> list[Appointment]:
    """Close the clinic for [starts_at, ends_at) unless exactly that closure exists already;
    returns the confirmed appointments inside it.

    Those appointments are not touched: the osteopath decides whether to move or cancel each.
    """
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise BookingError("Closure times must carry their time zone.")
    if ends_at <= starts_at:
        raise BookingError("A closure must end after it starts.")
    same = db.session.execute(
        select(Closure.id).where(Closure.starts_at == starts_at, Closure.ends_at == ends_at)
    ).first()
    if same is None:  # the same closure sent twice (a double press) is kept once
        db.session.add(Closure(starts_at=starts_at, ends_at=ends_at, reason=reason[:200]))
    affected = list(
        db.session.execute(
            select(Appointment)
            .where(
                Appointment.status == CONFIRMED,
                Appointment.starts_at < ends_at,
                Appointment.ends_at > starts_at,
            )
            .order_by(Appointment.starts_at)
        ).scalars()
    )
    db.session.commit()
    return affected


def remove_closure(closure_id: int) -> bool:
    """Reopen the time a closure covered; False if there was no such closure."""
    removed = db.session.execute(delete(Closure).where(Closure.id == closure_id)).rowcount
    db.session.commit()
    return removed == 1
