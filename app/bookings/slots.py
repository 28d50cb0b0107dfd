"""Free appointment slots, from opening hours, closures and existing appointments.

Pure functions: no database, no request. Every instant going in and out is an aware datetime;
results are in UTC. Opening hours are wall-clock times in the clinic's zone, so a 09:00 slot is
09:00 in the clinic in winter, in summer and on the days the clocks change.

Clock changes (the only place where "09:00 local" is not one instant):

* A slot start that does not exist locally (in the hour skipped when the clocks go forward) is
  not offered; the next grid time after the gap is.
* A slot start that happens twice (in the hour repeated when the clocks go back) is offered
  once, at its first occurrence: a patient reading "01:30" cannot tell which one is meant.
* An opening period ends at the earliest instant its end time can mean, so no slot ever runs
  past it: the first occurrence of a repeated time; a skipped time read with the offset after
  the change, which lands before the jump.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.timeutil import earliest_instant, wall_instants

Slot = tuple[datetime, datetime]


@dataclass(frozen=True)
class BookingRules:
    """How appointments are laid out; `step` defaults to length + buffer."""

    length: timedelta = timedelta(minutes=45)
    buffer: timedelta = timedelta(minutes=15)
    minimum_notice: timedelta = timedelta(hours=24)
    horizon: timedelta = timedelta(weeks=8)
    step: timedelta | None = None

    def __post_init__(self) -> None:
        if self.length <= timedelta(0):
            raise ValueError("appointment length must be positive")
        if self.buffer < timedelta(0) or self.minimum_notice < timedelta(0):
            raise ValueError("buffer and minimum notice cannot be negative")
        if self.step is not None and self.step <= timedelta(0):
            raise ValueError("slot step must be positive")

    @property
    def slot_step(self) -> timedelta:
        return self.step if self.step is not None else self.length + self.buffer


@dataclass(frozen=True)
class OpeningPeriod:
    """One stretch of opening on a weekday (0 = Monday), in the clinic's local time."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("opening times are local wall-clock times, without a zone")
        if self.start >= self.end:
            raise ValueError("an opening period must end after it starts, on the same day")


@dataclass(frozen=True)
class Interval:
    """A closure, an appointment or a hold: half-open [start, end), stored in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        # Normalised once here so that every comparison below is between UTC instants.
        object.__setattr__(self, "start", _utc(self.start, "interval start"))
        object.__setattr__(self, "end", _utc(self.end, "interval end"))
        if self.start >= self.end:
            raise ValueError("an interval must end after it starts")


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open intervals share any time; touching end to start is no overlap."""
    return a_start < b_end and b_start < a_end


def free_slots(
    rules: BookingRules,
    hours: Iterable[OpeningPeriod],
    closures: Iterable[Interval],
    busy: Iterable[Interval],
    now: datetime,
    zone: ZoneInfo,
) -> list[Slot]:
    """Every bookable (start, end) in UTC, in order, from `now` up to the booking horizon."""
    now = _utc(now, "now")
    earliest, latest = now + rules.minimum_notice, now + rules.horizon
    if latest < earliest:
        return []
    blocked = _Blocked(closures, busy, rules.buffer)
    by_day = _by_weekday(hours)
    # One day either side: a local date can begin before or after the same UTC date.
    first_day = earliest.astimezone(zone).date() - timedelta(days=1)
    last_day = latest.astimezone(zone).date() + timedelta(days=1)
    found: list[Slot] = []
    day = first_day
    while day <= last_day:
        found.extend(
            slot
            for slot in _day_grid(day, by_day, rules, zone)
            if earliest <= slot[0] <= latest and blocked.is_free(*slot)
        )
        day += timedelta(days=1)
    # Overlapping opening periods on one day would otherwise offer the same slot twice.
    return sorted(set(found))


def is_start_free(
    start: datetime,
    rules: BookingRules,
    hours: Iterable[OpeningPeriod],
    closures: Iterable[Interval],
    busy: Iterable[Interval],
    now: datetime,
    zone: ZoneInfo,
) -> bool:
    """Whether `start` is one of the slots `free_slots` would offer right now.

    Used when a patient submits a slot chosen from an older page: a start that is off the grid,
    outside the notice/horizon window or taken since then is not free.
    """
    start, now = _utc(start, "start"), _utc(now, "now")
    if not now + rules.minimum_notice <= start <= now + rules.horizon:
        return False
    day = start.astimezone(zone).date()
    for slot in _day_grid(day, _by_weekday(hours), rules, zone):
        if slot[0] == start:
            return _Blocked(closures, busy, rules.buffer).is_free(*slot)
    return False


class _Blocked:
    """Closures and buffered appointments merged into sorted, disjoint spans for bisecting."""

    __slots__ = ("starts", "ends")

    def __init__(
        self, closures: Iterable[Interval], busy: Iterable[Interval], buffer: timedelta
    ) -> None:
        spans = [(c.start, c.end) for c in closures]
        spans.extend((b.start - buffer, b.end + buffer) for b in busy)
        spans.sort()
        self.starts: list[datetime] = []
        self.ends: list[datetime] = []
        for span_start, span_end in spans:
            if self.ends and span_start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], span_end)
            else:
                self.starts.append(span_start)
                self.ends.append(span_end)

    def is_free(self, start: datetime, end: datetime) -> bool:
        # Spans are disjoint and sorted, so only the first one ending after `start` can overlap.
        index = bisect.bisect_right(self.ends, start)
        return index == len(self.starts) or not self.starts[index] < end


def _by_weekday(hours: Iterable[OpeningPeriod]) -> dict[int, list[OpeningPeriod]]:
    by_day: dict[int, list[OpeningPeriod]] = {}
    for period in hours:
        by_day.setdefault(period.weekday, []).append(period)
    return by_day


def _day_grid(
    day: date, by_day: dict[int, list[OpeningPeriod]], rules: BookingRules, zone: ZoneInfo
) -> Iterator[Slot]:
    """Candidate slots of one local date, before closures, bookings and notice are applied."""
    step = rules.slot_step
    for period in by_day.get(day.weekday(), ()):
        period_end = earliest_instant(datetime.combine(day, period.end), zone)
        # Wall-clock arithmetic on naive datetimes keeps the grid on local time across a change.
        wall = datetime.combine(day, period.start)
        while wall.date() == day:
            # A skipped time offers no slot; a repeated one only its first.
            start = next(iter(wall_instants(wall, zone)), None)
            if start is not None:
                end = start + rules.length
                if end > period_end:
                    break
                yield start, end
            wall += step


def _utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment.astimezone(UTC)
