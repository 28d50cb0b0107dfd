"""(d) Laying out twelve weeks of free slots around 500 existing appointments.

The pure function the booking page calls (app.bookings.slots.free_slots), fed what the diary
would give it. The baseline is a trivial loop over the same number of candidate slots that
only compares each with its neighbour in a sorted list, with no clock-change handling.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.bookings import slots

from .common import median_seconds

APPOINTMENTS = 500
WEEKS = 12
REPEAT = 30


@dataclass
class SlotsRun:
    name: str
    ms: float
    slots: int


def _diary():
    rules = slots.BookingRules(horizon=timedelta(weeks=WEEKS))
    hours = [slots.OpeningPeriod(day, time(9), time(17, 30)) for day in range(5)]
    hours.append(slots.OpeningPeriod(5, time(9), time(13)))
    now = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # a week that later crosses no clock change
    zone = ZoneInfo("Europe/London")
    grid = slots.free_slots(rules, hours, [], [], now, zone)
    # 500 of the grid's slots taken, chosen with a fixed seed so every run sees the same diary.
    taken = random.Random(42).sample(grid, APPOINTMENTS)
    busy = [slots.Interval(start, end) for start, end in taken]
    closures = [slots.Interval(now + timedelta(weeks=6), now + timedelta(weeks=6, days=2))]
    return rules, hours, closures, busy, now, zone, len(grid)


def run() -> list[SlotsRun]:
    rules, hours, closures, busy, now, zone, candidates = _diary()
    found = slots.free_slots(rules, hours, closures, busy, now, zone)
    seconds = median_seconds(
        lambda: slots.free_slots(rules, hours, closures, busy, now, zone), REPEAT
    )
    starts = sorted(interval.start for interval in busy)

    def trivial() -> list:
        free, moment, index = [], now, 0
        for _ in range(candidates):
            moment += timedelta(hours=1)
            while index < len(starts) and starts[index] < moment:
                index += 1
            if index == len(starts) or starts[index] != moment:
                free.append((moment, moment + rules.length))
        return free

    baseline = median_seconds(trivial, REPEAT)
    return [
        SlotsRun(f"trivial loop over {candidates} candidates (baseline)", baseline * 1000,
                 candidates),
        SlotsRun(f"free_slots, {WEEKS} weeks, {APPOINTMENTS} appointments", seconds * 1000,
                 len(found)),
    ]
