"""The diary as a private calendar subscription: what it shows, who can read it, and that two
independent parsers read the same times across the 2027 clock changes, with the server in
New York (tests/conftest.py sets TZ)."""

from datetime import datetime, timedelta

import pytest
import vobject
from flask import current_app
from icalendar import Calendar
from sqlalchemy import select

from app.bookings.feed import (
    WEEKS_BACK,
    diary_calendar,
    feed_secret,
    first_name_and_initial,
    issue_feed,
    revoke_feed,
)
from app.bookings.service import cancel, confirm, propose_times, reschedule
from app.models import CalendarFeed

from .helpers import LONDON, SPRING_NOW, ask_for, utc, wanting

pytestmark = pytest.mark.time_machine(SPRING_NOW)


def booked(start: datetime, name: str = "Ana Silva", email: str = "ana@example.org"):
    return confirm(wanting(SPRING_NOW, name=name, email=email), start, now=SPRING_NOW)


def feed_path() -> str:
    return f"/calendar/{feed_secret(issue_feed())}.ics"


def events(body: bytes) -> dict:
    return {str(e["UID"]): e for e in Calendar.from_ical(body).events}


def test_the_feed_lists_confirmed_appointments_by_first_name_and_initial(client, db):
    appointment = booked(utc(2027, 3, 29, 8, 0), name="Ana  maria Silva-Lopes")
    ask_for(utc(2027, 3, 30, 9, 0), SPRING_NOW, name="Quentin Request", email="bo@example.org")
    offered = wanting(SPRING_NOW, name="Xavier Offer", email="cy@example.org")
    propose_times(offered, [utc(2027, 3, 31, 9, 0)], now=SPRING_NOW)
    response = client.get(feed_path())
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    (event,) = events(response.data).values()
    assert str(event["SUMMARY"]) == "Ana S."
    assert str(event["UID"]) == f"desk-{appointment.ics_uid}"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(f"/admin/bookings/{appointment.id}")
    assert str(event["URL"]) in str(event["DESCRIPTION"])
    text = response.data.decode()
    for private in ("Silva", "maria", "ana@example.org", "+447710466880", "Low back pain",
                    "Quentin", "Xavier"):
        assert private not in text


@pytest.mark.parametrize(("name", "shown"), [
    ("Sam Patel", "Sam P."), ("sam o'neill", "sam O."), ("Prince", "Prince"),
    ("  Zoë   van der Berg ", "Zoë B."), ("", "Patient"),
])
def test_a_patient_is_named_by_first_name_and_initial(name, shown):
    assert first_name_and_initial(name) == shown


def test_a_moved_appointment_keeps_its_uid_and_shows_it_changed(client, db):
    appointment = booked(utc(2027, 3, 29, 8, 0))
    path = feed_path()
    (before,) = events(client.get(path).data).values()
    later = SPRING_NOW + timedelta(hours=2)
    reschedule(appointment, utc(2027, 3, 30, 8, 0), now=later)
    (after,) = events(client.get(path).data).values()
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["LAST-MODIFIED"].dt == after["DTSTAMP"].dt == later
    assert after["DTSTART"].dt == utc(2027, 3, 30, 8, 0)


def test_a_cancelled_appointment_leaves_the_feed(client, db):
    staying = booked(utc(2027, 3, 29, 8, 0))
    going = booked(utc(2027, 3, 29, 10, 0), name="Bo Smith", email="bo@example.org")
    cancel(going, "Unwell", by_patient=True, now=SPRING_NOW)
    assert set(events(client.get(feed_path()).data)) == {f"desk-{staying.ics_uid}"}


def test_the_feed_keeps_some_weeks_back_and_everything_ahead(db):
    old = booked(utc(2027, 3, 29, 8, 0))
    recent = booked(utc(2027, 4, 19, 8, 0), name="Bo Smith", email="bo@example.org")
    ahead = booked(utc(2027, 9, 1, 8, 0), name="Cy Jones", email="cy@example.org")
    now = utc(2027, 3, 29, 8, 0) + timedelta(weeks=WEEKS_BACK, minutes=1)
    with current_app.test_request_context():
        listed = set(events(diary_calendar(now)))
    assert listed == {f"desk-{recent.ics_uid}", f"desk-{ahead.ics_uid}"}
    assert f"desk-{old.ics_uid}" not in listed


# 09:00 in London on each side of both 2027 clock changes.
LONDON_NINES = [
    utc(2027, 3, 26, 9, 0),   # Friday, GMT
    utc(2027, 3, 29, 8, 0),   # Monday, BST
    utc(2027, 10, 29, 8, 0),  # Friday, BST
    utc(2027, 11, 1, 9, 0),   # Monday, GMT
]


def test_two_parsers_read_the_same_times_across_the_clock_changes(client, db):
    for n, start in enumerate(LONDON_NINES):
        booked(start, name=f"Patient {n}", email=f"p{n}@example.org")
    body = client.get(feed_path()).data

    first = sorted(e["DTSTART"].dt for e in Calendar.from_ical(body).events)
    second = sorted(e.dtstart.value for e in vobject.readOne(body.decode()).vevent_list)
    assert first == second == LONDON_NINES
    for start in first:
        local = start.astimezone(LONDON)
        assert (local.hour, local.minute) == (9, 0)
    ends = sorted(e.dtend.value for e in vobject.readOne(body.decode()).vevent_list)
    assert [end - start for start, end in zip(first, ends, strict=True)] == [
        timedelta(minutes=45)] * 4


@pytest.mark.parametrize("secret", [
    "nope", "a" * 43, "a" * 5000, "%00", "..", "a.ics",
])
def test_an_unknown_secret_is_a_bare_404(client, db, secret):
    issue_feed()
    response = client.get(f"/calendar/{secret}.ics")
    assert response.status_code == 404
    assert response.data == b""
    assert "Set-Cookie" not in response.headers


def test_a_revoked_or_replaced_address_stops_at_once(client, db):
    booked(utc(2027, 3, 29, 8, 0))
    old = feed_path()
    new = feed_path()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert revoke_feed() is not None
    assert client.get(new).status_code == 404
    assert revoke_feed() is None


def test_only_a_hash_of_the_secret_is_stored(db):
    secret = feed_secret(issue_feed())
    assert len(secret) >= 40
    (row,) = db.session.execute(select(CalendarFeed)).scalars()
    assert secret not in (row.seed, row.secret_hash)


def test_a_new_secret_key_makes_the_old_address_open_nothing(app, client, db):
    path = feed_path()
    app.config["SECRET_KEY"] = "another key entirely, at least thirty-two bytes long"
    assert client.get(path).status_code == 404
    assert feed_secret(db.session.execute(select(CalendarFeed)).scalar_one()) is None


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True, "CALENDAR_FEED_RATE_LIMIT": "2 per hour"}

    def test_the_feed_is_rate_limited_by_address(self, client, db):
        path = feed_path()
        assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429]
        assert client.get("/calendar/guess.ics").status_code == 429

