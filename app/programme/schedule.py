"""When the programme's emails fall due.

Check-ins come 14, 28 and 42 days after enrolment at the policy's send time (09:00) on the
clinic's clock; the day is counted on the clinic's calendar, so a clock change in between
does not move it.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.policy import CHECKIN_WEEKS, checkin_send_time, closing_day


def local_morning(enrolled_at: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The send time on the clinic's clock, `days` after the clinic-local enrolment date, in
    UTC."""
    local_day = enrolled_at.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(local_day, checkin_send_time(), tzinfo=zone).astimezone(UTC)


def checkin_due(enrolled_at: datetime, week: int, zone: ZoneInfo) -> datetime:
    if week not in CHECKIN_WEEKS:
        raise ValueError(f"there is no week-{week} check-in")
    return local_morning(enrolled_at, week * 7, zone)


def closing_due(enrolled_at: datetime, zone: ZoneInfo) -> datetime:
    return local_morning(enrolled_at, closing_day(), zone)
