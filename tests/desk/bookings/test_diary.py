"""The week's diary, finding bookings, and the diary's settings, through the desk's pages."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.bookings.errors import BookingError
from app.bookings.service import (
    booking_settings,
    closures_between,
    confirm,
    opening_hours,
    set_opening_hours,
)
from app.timeutil import format_clinic_time, utcnow

from ...bookings.helpers import ask_for, soon_slot, utc, wanting
from ...support.clock import AN_ORDINARY_MORNING
from ...support.desk import post_form

# The diary's pages read the clock: "this week", and which holds are still held.
pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

SETTINGS = "/admin/settings/diary"
# Wednesday 20 October 2027; the clocks go back at 02:00 on Sunday 31 October.
OCTOBER_NOW = utc(2027, 10, 20, 12, 0)


def day_section(page: str, heading: str) -> str:
    return page.split(f">{heading}")[1].split("</section>")[0]


@pytest.mark.time_machine(OCTOBER_NOW)
def test_the_week_across_the_clock_change_shows_clinic_times(desk, db):
    before = confirm(ask_for(utc(2027, 10, 29, 8, 0), OCTOBER_NOW), now=OCTOBER_NOW)  # BST
    after = confirm(ask_for(utc(2027, 11, 1, 9, 0), OCTOBER_NOW, name="Gil Winter",
                            email="gil@example.org"), now=OCTOBER_NOW)  # GMT
    waiting = ask_for(utc(2027, 10, 28, 9, 0), OCTOBER_NOW, name="Pat Pending",
                      email="pat@example.org")
    post_form(desk, SETTINGS, f"{SETTINGS}/closures", starts="2027-10-27T14:00",
              ends="2027-10-27T18:00", reason="Training")

    page = desk.get("/admin/diary?week=2027-10-27").text
    assert "Diary: week of 25 October 2027" in page
    assert [day in page for day in ("Monday 25 October", "Sunday 31 October")] == [True, True]
    assert "Monday 1 November" not in page
    friday = day_section(page, "Friday 29 October")
    assert "09:00&ndash;09:45" in friday and f"/admin/bookings/{before.id}" in friday
    thursday = day_section(page, "Thursday 28 October")
    assert "Pat Pending" in thursday and "Request, not confirmed" in thursday
    assert "10:00&ndash;10:45" in thursday and f"/admin/bookings/{waiting.id}" in thursday
    assert "Closed 14:00 27 Oct to 18:00 27 Oct: Training" in day_section(
        page, "Wednesday 27 October")
    assert 'href="/admin/diary?week=2027-10-18"' in page
    assert 'href="/admin/diary?week=2027-11-01"' in page

    winter = desk.get("/admin/diary?week=2027-11-01").text
    monday = day_section(winter, "Monday 1 November")
    assert "09:00&ndash;09:45" in monday and "Gil Winter" in monday
    assert f"/admin/bookings/{after.id}" in monday


def test_this_week_is_the_default_and_links_to_the_settings(desk):
    page = desk.get("/admin/diary")
    assert page.status_code == 200
    assert "(today)" in page.text and 'href="/admin/settings/diary"' in page.text
    assert 'aria-current="page">Diary<' in page.text


@pytest.mark.parametrize("week", ["2027-13-01", "yesterday", "1999-12-31", "9999-01-01"])
def test_a_bad_week_is_a_clear_400(desk, week):
    response = desk.get(f"/admin/diary?week={week}")
    assert response.status_code == 400 and "We could not accept that" in response.text


def test_search_finds_by_name_or_email_25_a_page(desk, db):
    now = utcnow()
    for n in range(27):
        wanting(now, name=f"Bea Number{n:02d}", email=f"bea{n}@example.org")
    wanting(now, name="Carl Other", email="carl@elsewhere.test")

    first = desk.get("/admin/bookings?q=number").text
    assert "27 bookings, newest first." in first and "Page 1 of 2" in first
    assert first.count('href="/admin/bookings/') == 25
    assert "Carl Other" not in first
    second = desk.get("/admin/bookings?q=number&page=2").text
    assert "Bea Number00" in second and "Bea Number26" not in second
    assert "Carl Other" in desk.get("/admin/bookings?q=elsewhere").text
    assert "No bookings match." in desk.get("/admin/bookings?q=nobody").text
    assert desk.get("/admin/bookings?q=number&page=3").status_code == 404


@pytest.mark.parametrize("query", ["q=" + "x" * 101, "page=0", "page=abc"])
def test_a_bad_search_is_a_400_with_the_reason(desk, query):
    response = desk.get(f"/admin/bookings?{query}")
    assert response.status_code == 400


def test_the_settings_are_saved_and_shown(desk, db):
    response = post_form(desk, SETTINGS, SETTINGS, appointment_minutes="30", buffer_minutes="10",
                         minimum_notice_hours="12", horizon_days="28", hold_hours="6",
                         clinic_address="1 High Street\nTown")
    assert response.status_code == 303
    db.session.expire_all()
    saved = booking_settings()
    assert (saved.appointment_minutes, saved.buffer_minutes, saved.minimum_notice_hours,
            saved.horizon_days, saved.hold_hours) == (30, 10, 12, 28, 6)
    assert saved.clinic_address == "1 High Street\nTown"
    assert "Booking settings saved." in desk.get(SETTINGS).text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"appointment_minutes": "0"}, "Enter 5 to 480 minutes."),
        ({"appointment_minutes": "forty"}, "Enter a whole number, like 45."),
        ({"hold_hours": ""}, "Enter the hold time in hours."),
        ({"buffer_minutes": "-5"}, "Enter 0 to 240 minutes."),
        ({"horizon_days": ""}, "Enter the horizon in days."),
        ({"clinic_address": "a" * 301}, "The address must be 300 characters or fewer."),
    ],
)
def test_bad_settings_are_refused_inline_and_change_nothing(desk, db, changes, message):
    good = {"appointment_minutes": "45", "buffer_minutes": "15", "minimum_notice_hours": "24",
            "horizon_days": "56", "hold_hours": "24", "clinic_address": "1 High Street"}
    ask_for(None, utcnow(), ["any"])  # sets the defaults up
    response = post_form(desk, SETTINGS, SETTINGS, **{**good, **changes})
    assert response.status_code == 400
    assert message in response.text
    typed = next(iter(changes.values()))
    assert typed in response.text  # what was typed is still there to correct
    db.session.expire_all()
    assert booking_settings().clinic_address == ""


HOURS = {day: "" for day in ("monday", "tuesday", "wednesday", "thursday", "friday",
                             "saturday", "sunday")}


def test_opening_hours_are_saved_in_local_times(desk, db):
    ask_for(None, utcnow(), ["any"])
    hours = {**HOURS, "monday": "08:30-12:00, 13.00 - 17:30", "saturday": "9:00-12:00"}
    response = post_form(desk, SETTINGS, f"{SETTINGS}/hours", **hours)
    assert response.status_code == 303
    db.session.expire_all()
    assert [(p.weekday, p.opens, p.closes) for p in opening_hours()] == [
        (0, time(8, 30), time(12)), (0, time(13), time(17, 30)), (5, time(9), time(12)),
    ]
    page = desk.get(SETTINGS).text
    assert 'value="08:30-12:00, 13:00-17:30"' in page


@pytest.mark.parametrize(
    ("monday", "message"),
    [
        ("09:00-13:00, 12:00-18:00", "09:00-13:00 and 12:00-18:00 overlap."),
        ("13:00-09:00", "the end must be after the start"),
        ("9am to 1pm", "like 09:00-13:00"),
        ("25:00-26:00", "is not a time of day"),
        ("0" * 201, "200 characters or fewer"),
    ],
)
def test_bad_opening_hours_are_refused_inline_and_change_nothing(desk, db, monday, message):
    ask_for(None, utcnow(), ["any"])
    before = [(p.weekday, p.opens, p.closes) for p in opening_hours()]
    response = post_form(desk, SETTINGS, f"{SETTINGS}/hours", **{**HOURS, "monday": monday})
    assert response.status_code == 400
    assert message in response.text.replace("&#34;", '"')
    assert f'value="{monday}"' in response.text
    db.session.expire_all()
    assert [(p.weekday, p.opens, p.closes) for p in opening_hours()] == before


def test_the_service_refuses_overlapping_hours_too(app, db):
    with pytest.raises(BookingError, match="overlap"):
        set_opening_hours([(0, time(9), time(13)), (0, time(12), time(18))])
    with pytest.raises(BookingError, match="end after it starts"):
        set_opening_hours([(1, time(13), time(9))])


def test_a_closure_names_the_appointments_inside_it_and_can_be_removed(desk, db):
    appointment = confirm(ask_for(soon_slot(), utcnow()))
    local = format_clinic_time(appointment.starts_at, "%Y-%m-%d")
    response = post_form(desk, SETTINGS, f"{SETTINGS}/closures", starts=f"{local}T00:00",
                         ends=f"{local}T23:59", reason="Poorly")
    assert response.status_code == 303
    page = desk.get(SETTINGS).text
    assert "1 confirmed appointment(s) fall inside it" in page and "Ana Silva at" in page
    assert f'href="/admin/bookings/{appointment.id}"' in page and "Poorly" in page
    (closure,) = closures_between(utcnow(), utcnow() + timedelta(days=30))
    assert closure.starts_at.astimezone(UTC) < appointment.starts_at < closure.ends_at

    # The same closure sent again (a double press) is kept once.
    post_form(desk, SETTINGS, f"{SETTINGS}/closures", starts=f"{local}T00:00",
              ends=f"{local}T23:59", reason="Poorly")
    assert len(closures_between(utcnow(), utcnow() + timedelta(days=30))) == 1

    removed = post_form(desk, SETTINGS, f"{SETTINGS}/closures/{closure.id}/remove")
    assert removed.status_code == 303
    assert "Closure removed" in desk.get(SETTINGS).text
    again = post_form(desk, SETTINGS, f"{SETTINGS}/closures/{closure.id}/remove")
    assert again.status_code == 303
    assert "not in the diary" in desk.get(SETTINGS).text
    assert closures_between(utcnow(), utcnow() + timedelta(days=30)) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts": "2030-01-02T09:00", "ends": "2030-01-02T08:00"},
         "must open again after the closure starts"),
        ({"starts": "", "ends": "2030-01-02T08:00"}, "Enter when the closure starts."),
        ({"starts": "soon", "ends": "2030-01-02T08:00"}, "Not a valid datetime value."),
        ({"starts": "0001-01-01T00:00", "ends": "9999-12-31T23:59"}, "between the years 2000"),
        ({"starts": "2030-01-02T09:00", "ends": "2030-01-03T09:00", "reason": "r" * 201},
         "The reason must be 200 characters or fewer."),
    ],
)
def test_a_bad_closure_is_refused_inline(desk, db, fields, message):
    response = post_form(desk, SETTINGS, f"{SETTINGS}/closures", **fields)
    assert response.status_code == 400 and message in response.text
    everything = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    assert closures_between(*everything) == []


def test_a_closure_is_read_in_clinic_time_across_the_clock_change(desk, db):
    post_form(desk, SETTINGS, f"{SETTINGS}/closures", starts="2027-10-30T09:00",
              ends="2027-11-01T09:00")
    (closure,) = closures_between(utc(2027, 10, 1), utc(2027, 12, 1))
    assert closure.starts_at == utc(2027, 10, 30, 8, 0)  # BST
    assert closure.ends_at == utc(2027, 11, 1, 9, 0)  # GMT
    page = desk.get("/admin/diary?week=2027-10-25").text
    assert "Closed 09:00 30 Oct to 09:00 1 Nov" in day_section(page, "Sunday 31 October")
    assert date(2027, 10, 31).weekday() == 6
