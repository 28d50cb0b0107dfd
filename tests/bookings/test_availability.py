"""Free slots read from the database: default hours, both 2027 clock changes, closures, holds."""

from datetime import time, timedelta

import pytest

from app.bookings.diary import add_closure, load_defaults, set_opening_hours, update_settings
from app.bookings.service import SlotUnavailable, confirm, free_slots, is_free
from app.models import BookingSettings, OpeningPeriod

from .helpers import LONDON, MONDAY_9AM_BST, SPRING_NOW, ask_for, utc, wanting


def local_times(now, day) -> list[str]:
    return [
        start.astimezone(LONDON).strftime("%H:%M")
        for start, _ in free_slots(now)
        if start.astimezone(LONDON).date() == day
    ]


def utc_hours(now, day) -> list[int]:
    return [s.hour for s, _ in free_slots(now) if s.astimezone(LONDON).date() == day]


def test_defaults_are_added_once_and_never_overwrite(app, db):
    assert "added booking settings" in load_defaults()
    assert db.session.query(OpeningPeriod).count() == 10
    update_settings(appointment_minutes=50)
    assert "nothing to add" in load_defaults()
    assert db.session.query(BookingSettings).one().appointment_minutes == 50
    assert db.session.query(OpeningPeriod).count() == 10


def test_cli_loads_the_defaults(app, runner, db):
    result = runner.invoke(args=["bookings", "defaults"])
    assert result.exit_code == 0 and "opening hours" in result.output
    assert db.session.query(OpeningPeriod).count() == 10


def test_spring_clock_change_keeps_slots_on_london_wall_clock(app):
    load_defaults()
    now = utc(2027, 3, 24, 12)  # Wednesday; the clocks go forward on Sunday 28 March
    # Friday 26 March is GMT (London = UTC); Monday 29 March is BST (London = UTC+1).
    friday, monday = utc(2027, 3, 26).date(), utc(2027, 3, 29).date()
    hours = ["09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00"]
    assert local_times(now, friday) == hours
    assert local_times(now, monday) == hours
    assert utc_hours(now, friday) == [9, 10, 11, 12, 14, 15, 16, 17]
    assert utc_hours(now, monday) == [8, 9, 10, 11, 13, 14, 15, 16]
    weekend = {utc(2027, 3, 27).date(), utc(2027, 3, 28).date()}
    assert not [s for s, _ in free_slots(now) if s.astimezone(LONDON).date() in weekend]


def test_autumn_clock_change_keeps_slots_on_london_wall_clock(app):
    load_defaults()
    now = utc(2027, 10, 27, 12)  # Wednesday; the clocks go back on Sunday 31 October
    friday, monday = utc(2027, 10, 29).date(), utc(2027, 11, 1).date()
    assert local_times(now, friday)[0] == local_times(now, monday)[0] == "09:00"
    assert utc_hours(now, friday)[0] == 8
    assert utc_hours(now, monday)[0] == 9


def test_minimum_notice_and_horizon(app):
    load_defaults()
    slots = free_slots(SPRING_NOW)
    assert slots[0][0] >= SPRING_NOW + timedelta(hours=24)
    assert slots[-1][0] <= SPRING_NOW + timedelta(days=56)
    update_settings(minimum_notice_hours=72, horizon_days=7)
    slots = free_slots(SPRING_NOW)
    assert slots[0][0] == MONDAY_9AM_BST  # Thursday noon + 72 hours is Sunday noon
    assert slots[-1][0] <= SPRING_NOW + timedelta(days=7)


def test_a_closure_removes_the_slots_it_touches(app):
    load_defaults()
    monday, tuesday = MONDAY_9AM_BST.date(), utc(2027, 3, 30).date()
    # Tuesday closed all day; Monday closed 10:30 to 12:00 London time.
    add_closure(utc(2027, 3, 29, 23), utc(2027, 3, 30, 23), "Training day")
    add_closure(utc(2027, 3, 29, 9, 30), utc(2027, 3, 29, 11), "Dentist")
    assert local_times(SPRING_NOW, tuesday) == []
    assert local_times(SPRING_NOW, monday) == [
        "09:00", "12:00", "14:00", "15:00", "16:00", "17:00"
    ]


def test_confirmed_appointments_and_live_holds_are_busy_with_the_buffer(app):
    load_defaults()
    set_opening_hours([(0, time(9), time(13))])
    monday = MONDAY_9AM_BST.date()
    confirm(wanting(SPRING_NOW), MONDAY_9AM_BST + timedelta(minutes=70), now=SPRING_NOW)
    # 10:10-10:55 with 15 minutes either side blocks 10:00 and 11:00; 09:00 ends at 09:45.
    assert local_times(SPRING_NOW, monday) == ["09:00", "12:00"]
    held = ask_for(MONDAY_9AM_BST, SPRING_NOW)
    assert held.hold_until == SPRING_NOW + timedelta(hours=12)
    assert local_times(SPRING_NOW, monday) == ["12:00"]
    assert not is_free(MONDAY_9AM_BST, SPRING_NOW)
    # Once the hold runs out, the slot is offered again though the request still waits.
    later = SPRING_NOW + timedelta(hours=13)
    assert is_free(MONDAY_9AM_BST, later)


def test_a_slot_is_requested_only_if_free_and_on_the_grid(app):
    load_defaults()
    ask_for(MONDAY_9AM_BST, SPRING_NOW)
    with pytest.raises(SlotUnavailable):
        ask_for(MONDAY_9AM_BST, SPRING_NOW, name="Ben Ng", email="ben@example.org")
    for off_grid in (MONDAY_9AM_BST + timedelta(minutes=30), utc(2027, 3, 28, 10),
                     SPRING_NOW + timedelta(hours=1)):
        with pytest.raises(SlotUnavailable):
            ask_for(off_grid, SPRING_NOW, name="Ben Ng", email="ben@example.org")


def test_no_hours_means_no_slots(app):
    assert free_slots(SPRING_NOW) == []
