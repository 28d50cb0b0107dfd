"""Time in one place: stored as aware UTC, shown in the clinic's zone.

A wall-clock time in the clinic's zone names one instant, except around a clock change: in
the hour the clocks go forward it names none, and in the hour they go back it names two.
`wall_instants` says which, and `clinic_instant` is the one rule for turning a time someone
typed into an instant: it refuses the first kind and asks about the second.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
    """Parse an ISO time given by an operator; without an offset it is clinic local time.

    ValueError, in words to show, for text that is not a time, a local time the clocks skip,
    or one they repeat (the operator is asked to add the offset they mean).
    """
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    try:
        return clinic_instant(moment)
    except RepeatedLocalTime as error:
        choices = " or ".join(f"{moment:%Y-%m-%dT%H:%M}{reading.offset} for {reading.label}"
                              for reading in error.readings)
        raise ValueError(f"{error} Add the offset you mean: {choices}.") from None


@dataclass(frozen=True)
class Reading:
    """One of the two instants a repeated wall-clock time names."""

    instant: datetime
    # "01:30 BST, the first": what a person is asked to choose between.
    label: str
    offset: str  # "+01:00"


class LocalTimeError(ValueError):
    """A wall-clock time that does not name exactly one instant; its text can be shown."""


class SkippedLocalTime(LocalTimeError):
    pass


class RepeatedLocalTime(LocalTimeError):
    def __init__(self, message: str, readings: list[Reading]) -> None:
        super().__init__(message)
        self.readings = readings


def wall_instants(wall: datetime, zone: ZoneInfo) -> list[datetime]:
    """Every UTC instant at which a clock in `zone` shows `wall` (naive), in order: none in
    the hour the clocks skip, two in the hour they repeat, otherwise one."""
    wall = wall.replace(tzinfo=None)
    candidates = {wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)}
    # A skipped time does not survive the round trip with either reading.
    return sorted(instant for instant in candidates
                  if instant.astimezone(zone).replace(tzinfo=None) == wall)


def earliest_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The earliest instant `wall` could mean; for a skipped time, before the change."""
    return min(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))


def readings(wall: datetime, zone: ZoneInfo | None = None) -> list[Reading]:
    """The two readings of a repeated wall-clock time, first then second; [] for any other."""
    zone = zone or clinic_zone()
    instants = wall_instants(wall, zone)
    if len(instants) != 2:
        return []
    return [
        Reading(instant, f"{wall:%H:%M} {instant.astimezone(zone).tzname()}, the {order}",
                _offset_text(instant.astimezone(zone).utcoffset()))
        for instant, order in zip(instants, ("first", "second"), strict=True)
    ]


def clinic_instant(wall: datetime, which: int | None = None,
                   zone: ZoneInfo | None = None) -> datetime:
    """The UTC instant a wall-clock time typed in the clinic's zone names.

    `which` picks a reading of a repeated time: 0 the first, 1 the second. Raises
    SkippedLocalTime for a time the clocks skip, and RepeatedLocalTime (with its readings) for
    a repeated one when `which` does not say.
    """
    zone = zone or clinic_zone()
    wall = wall.replace(tzinfo=None)
    instants = wall_instants(wall, zone)
    if len(instants) == 1:
        return instants[0]
    change = _clock_change(wall, zone)
    at, day = f"{change:%H:%M}", f"{change:%-d %B %Y}"
    if not instants:
        raise SkippedLocalTime(f"The clocks go forward at {at} on {day}, so {wall:%H:%M} "
                               "does not exist that day.")
    if which in (0, 1):
        return instants[which]
    raise RepeatedLocalTime(f"The clocks go back at {at} on {day}, so {wall:%H:%M} happens "
                            "twice that day.", readings(wall, zone))


def _clock_change(wall: datetime, zone: ZoneInfo) -> datetime:
    """The wall-clock time, as the clocks showed just before, at which they change around a
    skipped or repeated `wall`."""
    before = wall.replace(tzinfo=zone, fold=0).utcoffset()
    after = wall.replace(tzinfo=zone, fold=1).utcoffset()
    # The change falls in (wall - larger offset, wall - smaller offset], in UTC: find the first
    # second whose offset is the new one.
    low = math.floor((wall - max(before, after)).replace(tzinfo=UTC).timestamp())
    high = math.ceil((wall - min(before, after)).replace(tzinfo=UTC).timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC).replace(tzinfo=None) + before


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def format_clinic_time(moment: datetime | None, fmt: str = "%-d %B %Y, %H:%M") -> str:
    if moment is None:
        return ""
    return as_utc(moment).astimezone(clinic_zone()).strftime(fmt)
