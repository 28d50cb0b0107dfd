"""Time in one place: stored as aware UTC, shown in the clinic's zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    return datetime.now(UTC)


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["CLINIC_TIMEZONE"])


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already (as SQLite returns it)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def instant_from_form(text: str | None) -> datetime | None:
    """An aware instant sent back by a form (a slot's ISO start), in UTC; None for anything
    else, including years no diary holds, which would overflow when converted."""
    try:
        moment = datetime.fromisoformat(text or "")
        if moment.tzinfo is None or not 2000 <= moment.year <= 2200:
            return None
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def parse_moment(text: str) -> datetime:
    """Parse an ISO time given by an operator; without an offset it is clinic local time."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clinic_zone())
    return moment.astimezone(UTC)


def format_clinic_time(moment: datetime | None, fmt: str = "%-d %B %Y, %H:%M") -> str:
    if moment is None:
        return ""
    return as_utc(moment).astimezone(clinic_zone()).strftime(fmt)
