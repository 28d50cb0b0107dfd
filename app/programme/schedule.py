"""When the programme's emails fall due.

Check-ins come 14, 28 and 42 days after enrolment at 09:00 on the clinic's clock; the day is
counted on the clinic's calendar, so a clock change in between does not move 09:00.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

CHECKIN_WEEKS = (2, 4, 6)
SEND_AT = time(9, 0)
# The closing email follows the last check-in by a couple of days, so the patient has had time
# to answer it, and offers a review appointment.
CLOSING_DAY = 44


def local_morning(enrolled_at: datetime, days: int, zone: ZoneInfo) -> datetime:
    """09:00 clinic time on the day `days` after the clinic-local enrolment date, in UTC."""
    local_day = enrolled_at.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(local_day, SEND_AT, tzinfo=zone).astimezone(UTC)


def checkin_due(enrolled_at: datetime, week: int, zone: ZoneInfo) -> datetime:
    if week not in CHECKIN_WEEKS:
        raise ValueError(f"there is no week-{week} check-in")
    return local_morning(enrolled_at, week * 7, zone)


def closing_due(enrolled_at: datetime, zone: ZoneInfo) -> datetime:
    return local_morning(enrolled_at, CLOSING_DAY, zone)
