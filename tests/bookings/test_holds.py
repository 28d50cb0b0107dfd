"""A request for a slot holds it from others for a while, but one person holds one slot: a new
request from the same email address or the same client replaces the older hold (the older
request stays, for the osteopath to answer). The client is kept only as a keyed hash."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app import create_app
from app.bookings.diary import booking_settings, load_defaults
from app.bookings.links import iso_utc
from app.bookings.requests import BookingRequest, client_hash, request_appointment
from app.bookings.service import free_slots
from app.extensions import db
from app.models import Appointment, BookingSettings
from app.privacy.service import erase_person

from ..enquiries.pages import main_of, words
from .helpers import fresh
from .test_book_page import post_booking

# Monday 5 April 2027, 10:00 in London.
NOW = datetime(2027, 4, 5, 9, 0, tzinfo=UTC)
HOME, OFFICE = "203.0.113.7", "198.51.100.20"


def slots(count: int = 3) -> list[datetime]:
    """Free slots on Wednesday, well past the minimum notice however the test moves on."""
    load_defaults()
    return [start for start, _ in free_slots(NOW) if start >= NOW + timedelta(days=2)][:count]


def ask(start: datetime | None, email: str = "ana@example.org", client: str | None = HOME,
        now: datetime = NOW, preferred: list[str] | None = None) -> Appointment:
    return request_appointment(
        BookingRequest(patient_name="Ana Silva", email=email, consent_contact=True, start=start,
                       preferred_times=preferred or [], client_address=client),
        now=now,
    )


def holding(appointment: Appointment, now: datetime = NOW) -> bool:
    appointment = fresh(appointment)
    return appointment.hold_until is not None and appointment.hold_until > now


def test_the_hold_lasts_twelve_hours_by_default(app):
    assert booking_settings().hold_hours == 12  # before the diary is set up
    load_defaults()
    assert db.session.execute(select(BookingSettings.hold_hours)).scalar_one() == 12
    appointment = ask(slots(1)[0])
    assert fresh(appointment).hold_until == NOW + timedelta(hours=12)


@pytest.mark.parametrize(
    ("second_email", "second_client"),
    [("ANA@example.org", OFFICE), ("someone.else@example.org", HOME)],
    ids=["same-email-address", "same-client"],
)
def test_a_new_request_replaces_the_older_hold(app, second_email, second_client):
    first_slot, second_slot, _ = slots()
    first = ask(first_slot)
    later = NOW + timedelta(minutes=5)
    second = ask(second_slot, email=second_email, client=second_client, now=later)

    older = fresh(first)
    assert (older.status, older.starts_at) == ("requested", first_slot)  # still to answer
    assert older.hold_until == later and not holding(first, later)
    assert holding(second, later)
    free = [start for start, _ in free_slots(later)]
    assert first_slot in free and second_slot not in free


def test_different_people_each_keep_their_hold(app):
    first_slot, second_slot, _ = slots()
    first = ask(first_slot)
    second = ask(second_slot, email="ben@example.org", client=OFFICE)
    assert holding(first) and holding(second)


def test_asking_for_preferred_times_holds_and_releases_nothing(app):
    first_slot, _, _ = slots()
    held = ask(first_slot)
    words_only = ask(None, preferred=["Tuesday mornings"])
    assert holding(held)
    assert fresh(words_only).hold_until is None and fresh(words_only).client_hash is None


def test_the_client_is_kept_only_as_a_keyed_hash(app):
    first_slot, second_slot, third_slot = slots()
    appointment = fresh(ask(first_slot))
    kept = appointment.client_hash
    assert kept == client_hash(HOME) and len(kept) == 64 and HOME not in kept
    row = db.session.execute(select(Appointment.__table__)).one()
    assert not [value for value in row if isinstance(value, str) and HOME in value]
    assert client_hash(OFFICE) != kept
    other_secret = create_app("testing", {"SECRET_KEY": "another-clinic-secret",
                                          "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with other_secret.app_context():
        assert client_hash(HOME) != kept
    # One IPv6 household or phone network (a /64) is one client, however it picks addresses.
    assert client_hash("2001:db8:1:2::17") == client_hash("2001:db8:1:2:aaaa:bbbb:cccc:dddd")
    assert client_hash("2001:db8:1:3::17") != client_hash("2001:db8:1:2::17")
    assert client_hash("::ffff:203.0.113.7") == kept


def test_the_hash_goes_when_the_hold_does_and_with_the_appointment(app):
    first_slot, second_slot, third_slot = slots()
    first = ask(first_slot)
    second = ask(second_slot, email="ben@example.org", client=OFFICE)
    third = ask(third_slot, email="cy@example.org")  # from HOME again: replaces the first
    assert fresh(first).client_hash is None and fresh(third).client_hash == client_hash(HOME)
    # Once a hold has run out, the next request of any kind drops its hash.
    later = NOW + timedelta(hours=13)
    ask(None, email="dee@example.org", client="192.0.2.1", preferred=["Any time"], now=later)
    assert fresh(second).client_hash is None and fresh(third).client_hash is None
    ask(slots(4)[-1], email="dee@example.org", client="192.0.2.1", now=later)
    erase_person("dee@example.org")
    assert db.session.execute(
        select(Appointment.id).where(Appointment.client_hash == client_hash("192.0.2.1"))
    ).all() == []


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_page_holds_one_slot_per_client_and_says_for_how_long(app, client, clock):
    first_slot, second_slot, _ = slots()
    assert post_booking(client, remote_addr=HOME, slot=iso_utc(first_slot)).status_code == 303
    thanks = words(main_of(client.get("/book/thanks").text).text)
    assert "we are keeping this time for you for 12 hours, until 22:00 on monday 5 april" in thanks
    assert "if it is not confirmed by 22:00 on monday, someone else may book the time" in thanks
    assert "your request stays" in thanks

    clock.shift(timedelta(minutes=10))
    post_booking(client, remote_addr=HOME, slot=iso_utc(second_slot), email="other@example.org")
    first, second = db.session.execute(select(Appointment).order_by(Appointment.id)).scalars()
    assert not holding(first, NOW + timedelta(minutes=10)) and holding(second)
    assert first.status == "requested"
