from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.bookings.slots import (
    BookingRules,
    Interval,
    OpeningPeriod,
    free_slots,
    is_start_free,
    overlaps,
)

LONDON = ZoneInfo("Europe/London")
MON, SAT, SUN = 0, 5, 6
# Mon 09:00-13:00 and 14:00-18:00: the clinic's ordinary week, one day of it being enough.
MONDAY = (OpeningPeriod(MON, time(9), time(13)), OpeningPeriod(MON, time(14), time(18)))
RULES = BookingRules(minimum_notice=timedelta(hours=24), horizon=timedelta(weeks=8))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def starts(slots) -> list[datetime]:
    return [start for start, _ in slots]


def on_day(slots, day: datetime) -> list[datetime]:
    return [start for start in starts(slots) if start.astimezone(LONDON).date() == day.date()]


def test_defaults_lay_out_45_minutes_plus_15_buffer_on_the_hour():
    rules = BookingRules()
    assert rules.slot_step == timedelta(hours=1)
    hours = (OpeningPeriod(MON, time(9), time(13)),)
    # Monday 11 January 2027, winter: London is UTC.
    slots = free_slots(rules, hours, [], [], utc(2027, 1, 8, 12), LONDON)
    day = on_day(slots, utc(2027, 1, 11))
    assert day == [utc(2027, 1, 11, h) for h in (9, 10, 11, 12)]
    first = next(slot for slot in slots if slot[0] == utc(2027, 1, 11, 9))
    assert first == (utc(2027, 1, 11, 9), utc(2027, 1, 11, 9, 45))


def test_ordinary_summer_week_is_on_london_wall_clock():
    slots = free_slots(RULES, MONDAY, [], [], utc(2027, 6, 1, 12), LONDON)
    # Monday 7 June 2027 is BST: 09:00 London is 08:00 UTC.
    assert on_day(slots, utc(2027, 6, 7)) == [
        utc(2027, 6, 7, h) for h in (8, 9, 10, 11, 13, 14, 15, 16)
    ]
    assert {s.astimezone(LONDON).weekday() for s in starts(slots)} == {MON}
    assert starts(slots) == sorted(starts(slots))
    assert all(s.tzinfo is UTC and e - s == timedelta(minutes=45) for s, e in slots)


def test_step_can_differ_from_length_plus_buffer():
    rules = BookingRules(
        length=timedelta(minutes=30), buffer=timedelta(0), step=timedelta(minutes=30)
    )
    hours = (OpeningPeriod(MON, time(9), time(10, 45)),)
    slots = free_slots(rules, hours, [], [], utc(2027, 1, 8), LONDON)
    # 10:30 would end at 11:00, past the period's 10:45 close.
    assert on_day(slots, utc(2027, 1, 11)) == [
        utc(2027, 1, 11, 9),
        utc(2027, 1, 11, 9, 30),
        utc(2027, 1, 11, 10),
    ]


CLOCK_CHANGE_HOURS = (
    OpeningPeriod(SAT, time(9), time(11)),
    OpeningPeriod(SUN, time(0), time(4)),
    OpeningPeriod(SUN, time(9), time(11)),
    OpeningPeriod(MON, time(9), time(11)),
)


@pytest.mark.parametrize(
    ("now", "day", "expected"),
    [
        # Spring forward, Sunday 28 March 2027: 01:00 GMT becomes 02:00 BST.
        (utc(2027, 3, 20), utc(2027, 3, 27), [utc(2027, 3, 27, 9), utc(2027, 3, 27, 10)]),
        # 01:00 London never happens that night, so no slot; 00:00 is GMT, 02:00 and 03:00 BST.
        (
            utc(2027, 3, 20),
            utc(2027, 3, 28),
            [
                utc(2027, 3, 28, 0),
                utc(2027, 3, 28, 1),
                utc(2027, 3, 28, 2),
                utc(2027, 3, 28, 8),
                utc(2027, 3, 28, 9),
            ],
        ),
        (utc(2027, 3, 20), utc(2027, 3, 29), [utc(2027, 3, 29, 8), utc(2027, 3, 29, 9)]),
        # Fall back, Sunday 31 October 2027: 02:00 BST becomes 01:00 GMT.
        (utc(2027, 10, 23), utc(2027, 10, 30), [utc(2027, 10, 30, 8), utc(2027, 10, 30, 9)]),
        # 01:00 London happens twice; it is offered once, at its first (BST) occurrence.
        (
            utc(2027, 10, 23),
            utc(2027, 10, 31),
            [
                utc(2027, 10, 30, 23),
                utc(2027, 10, 31, 0),
                utc(2027, 10, 31, 2),
                utc(2027, 10, 31, 3),
                utc(2027, 10, 31, 9),
                utc(2027, 10, 31, 10),
            ],
        ),
        (utc(2027, 10, 23), utc(2027, 11, 1), [utc(2027, 11, 1, 9), utc(2027, 11, 1, 10)]),
    ],
)
def test_slots_stay_on_london_wall_clock_across_clock_changes(now, day, expected):
    slots = free_slots(RULES, CLOCK_CHANGE_HOURS, [], [], now, LONDON)
    assert on_day(slots, day) == expected


@pytest.mark.parametrize(
    ("day", "local_nine_in_utc"),
    [(utc(2027, 3, 29), utc(2027, 3, 29, 8)), (utc(2027, 11, 1), utc(2027, 11, 1, 9))],
)
def test_monday_after_a_clock_change_starts_at_nine_london(day, local_nine_in_utc):
    slots = free_slots(RULES, MONDAY, [], [], day - timedelta(days=3), LONDON)
    first = on_day(slots, day)[0]
    assert first == local_nine_in_utc
    assert first.astimezone(LONDON).time() == time(9)


def test_a_period_ending_in_the_skipped_hour_ends_before_the_jump():
    hours = (OpeningPeriod(SUN, time(0), time(1, 30)),)
    rules = BookingRules(length=timedelta(minutes=30), buffer=timedelta(0))
    slots = free_slots(rules, hours, [], [], utc(2027, 3, 20), LONDON)
    # 00:30 GMT would end at 01:00 UTC, when the clocks already show 02:00 BST.
    assert on_day(slots, utc(2027, 3, 28)) == [utc(2027, 3, 28, 0)]


def test_closure_removes_a_morning():
    morning_off = Interval(utc(2027, 1, 11, 9), utc(2027, 1, 11, 13))
    slots = free_slots(RULES, MONDAY, [morning_off], [], utc(2027, 1, 8), LONDON)
    assert on_day(slots, utc(2027, 1, 11)) == [utc(2027, 1, 11, h) for h in (14, 15, 16, 17)]
    assert on_day(slots, utc(2027, 1, 18))[0] == utc(2027, 1, 18, 9)


@pytest.mark.parametrize(
    ("busy", "expected_hours"),
    [
        # The 10:00 appointment itself; its buffer reaches back to 09:45, the 09:00 slot's end.
        ((utc(2027, 1, 11, 10), utc(2027, 1, 11, 10, 45)), [9, 11, 12]),
        # An odd 10:30-11:00 hold is widened to 10:15-11:15, taking the 10:00 and 11:00 slots.
        ((utc(2027, 1, 11, 10, 30), utc(2027, 1, 11, 11)), [9, 12]),
        # A hold ending at 08:50 still reaches 09:05 with its buffer.
        ((utc(2027, 1, 11, 8), utc(2027, 1, 11, 8, 50)), [10, 11, 12]),
        # Ending at 08:45, its buffer ends exactly when the 09:00 slot starts.
        ((utc(2027, 1, 11, 8), utc(2027, 1, 11, 8, 45)), [9, 10, 11, 12]),
    ],
)
def test_busy_intervals_are_widened_by_the_buffer(busy, expected_hours):
    hours = (OpeningPeriod(MON, time(9), time(13)),)
    slots = free_slots(RULES, hours, [], [Interval(*busy)], utc(2027, 1, 8), LONDON)
    assert on_day(slots, utc(2027, 1, 11)) == [utc(2027, 1, 11, h) for h in expected_hours]


def test_many_overlapping_busy_intervals_are_merged():
    busy = [
        Interval(utc(2027, 1, 11, 9, 10), utc(2027, 1, 11, 9, 20)),
        Interval(utc(2027, 1, 11, 9, 0), utc(2027, 1, 11, 11, 0)),
        Interval(utc(2027, 1, 11, 9, 30), utc(2027, 1, 11, 9, 40)),
    ]
    hours = (OpeningPeriod(MON, time(9), time(13)),)
    slots = free_slots(RULES, hours, [], busy, utc(2027, 1, 8), LONDON)
    assert on_day(slots, utc(2027, 1, 11)) == [utc(2027, 1, 11, 12)]


def test_minimum_notice_and_horizon():
    now = utc(2027, 1, 11, 10, 30)
    rules = BookingRules(minimum_notice=timedelta(hours=24), horizon=timedelta(weeks=2))
    slots = free_slots(rules, MONDAY, [], [], now, LONDON)
    # Today's 11:00 onwards is inside the 24 hours' notice; next Monday is the first open day.
    assert starts(slots)[0] == utc(2027, 1, 18, 9)
    # The horizon is exactly Monday 25 January 10:30: 10:00 is in, 11:00 is not.
    assert starts(slots)[-1] == utc(2027, 1, 25, 10)
    assert len(slots) == 8 + 2

    tight = BookingRules(minimum_notice=timedelta(hours=1), horizon=timedelta(hours=5))
    same_day = starts(free_slots(tight, MONDAY, [], [], now, LONDON))
    # 11:00 is only 30 minutes away; 15:00 is 4.5 hours away, 16:00 past the horizon.
    assert same_day == [utc(2027, 1, 11, h) for h in (12, 14, 15)]


@pytest.mark.parametrize(
    ("start", "busy", "expected"),
    [
        (utc(2027, 1, 11, 10), [], True),
        (utc(2027, 1, 11, 10, 30), [], False),  # off the grid
        (utc(2027, 1, 11, 13), [], False),  # lunch
        (utc(2027, 1, 11, 10), [Interval(utc(2027, 1, 11, 10), utc(2027, 1, 11, 10, 45))], False),
        (utc(2027, 1, 11, 11), [Interval(utc(2027, 1, 11, 10), utc(2027, 1, 11, 10, 45))], True),
        (utc(2027, 1, 8, 14), [], False),  # a Friday: closed
        (utc(2027, 1, 11, 10).astimezone(ZoneInfo("America/New_York")), [], True),
    ],
)
def test_is_start_free(start, busy, expected):
    assert is_start_free(start, RULES, MONDAY, [], busy, utc(2027, 1, 8, 9), LONDON) is expected


def test_is_start_free_respects_notice_and_horizon():
    now = utc(2027, 1, 11, 9)
    assert not is_start_free(utc(2027, 1, 11, 12), RULES, MONDAY, [], [], now, LONDON)
    assert is_start_free(utc(2027, 1, 18, 12), RULES, MONDAY, [], [], now, LONDON)
    assert not is_start_free(utc(2027, 3, 15, 9), RULES, MONDAY, [], [], now, LONDON)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((9, 10), (9, 10), True),
        ((9, 10), (9.5, 11), True),
        ((9, 12), (10, 11), True),
        ((9, 10), (10, 11), False),
        ((10, 11), (9, 10), False),
        ((9, 10), (11, 12), False),
    ],
)
def test_overlaps(a, b, expected):
    def at(hour: float) -> datetime:
        return utc(2027, 1, 11) + timedelta(hours=hour)

    assert overlaps(at(a[0]), at(a[1]), at(b[0]), at(b[1])) is expected


@pytest.mark.parametrize(
    "build",
    [
        lambda: BookingRules(length=timedelta(0)),
        lambda: OpeningPeriod(7, time(9), time(13)),
        lambda: OpeningPeriod(MON, time(13), time(9)),
        lambda: Interval(datetime(2027, 1, 11, 9), utc(2027, 1, 11, 10)),
        lambda: Interval(utc(2027, 1, 11, 10), utc(2027, 1, 11, 9)),
    ],
)
def test_invalid_inputs_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        free_slots(RULES, MONDAY, [], [], datetime(2027, 1, 8), LONDON)


def test_overlapping_opening_periods_offer_each_slot_once():
    hours = (OpeningPeriod(MON, time(9), time(12)), OpeningPeriod(MON, time(10), time(13)))
    slots = free_slots(RULES, hours, [], [], utc(2027, 1, 8), LONDON)
    assert on_day(slots, utc(2027, 1, 11)) == [utc(2027, 1, 11, h) for h in (9, 10, 11, 12)]
