"""`flask privacy purge`: old enquiries and booking requests that never led to a patient go,
with their emails."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from app.bookings.diary import load_defaults
from app.bookings.patient_changes import patient_cancel
from app.bookings.requests import BookingRequest, request_appointment
from app.bookings.service import cancel, confirm, decline, propose_times
from app.extensions import db
from app.models import Appointment, Enquiry, OutboxMessage
from app.models.booking import CONFIRMED
from app.models.outbox import PENDING
from app.models.privacy import AuditEntry

from ..support.desk import add_enquiry
from ..support.programme import patient_on_programme
from .helpers import traces

NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)
RECENT = NOW - timedelta(days=300)


def _ids() -> set[int]:
    return set(db.session.execute(select(Enquiry.id)).scalars())


def test_purge_deletes_only_old_enquiries_that_led_nowhere(runner):
    old = add_enquiry(name="Olive Gone", email="olive@example.org", created_at=OLD).id
    recent = add_enquiry(name="Rita Recent", email="rita@example.org", created_at=RECENT).id
    patient = patient_on_programme(OLD, name="Pat Kept", email="pat@example.org").enquiry_id
    booked = add_enquiry(name="Bo Booked", email="bo@example.org", created_at=OLD)
    db.session.add(Appointment(
        status=CONFIRMED, patient_name="Bo Booked", email="bo@example.org",
        enquiry_id=booked.id, starts_at=OLD + timedelta(days=3),
        ends_at=OLD + timedelta(days=3, hours=1), ics_uid="bo@test",
    ))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.enquiry_id == old, OutboxMessage.status == PENDING))

    dry = runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat(), "--dry-run"])
    assert "1 enquiries and 0 booking requests would be deleted" in dry.output
    assert old in _ids()

    result = runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _ids() == {recent, patient, booked.id}
    assert traces("Olive Gone", "olive@example.org") == []
    assert traces("Rita Recent") and traces("Pat Kept") and traces("Bo Booked")
    entry = db.session.execute(select(AuditEntry)).scalar_one()
    assert entry.action == "purge" and entry.detail.startswith("1 enquiries")


def test_the_retention_period_is_a_setting(app, runner):
    app.config["RETENTION_MONTHS"] = 6
    recent = add_enquiry(created_at=RECENT).id
    runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat()])
    assert recent not in _ids()


def test_the_privacy_page_says_the_period_and_can_be_the_clinics_own(app, client, tmp_path):
    assert "after 12 months" in client.get("/privacy").text
    notice = tmp_path / "privacy.txt"
    notice.write_text("Our own words.\n\nA second <paragraph>.", encoding="utf-8")
    app.config["PRIVACY_NOTICE_FILE"] = str(notice)
    page = client.get("/privacy").text
    assert "<p>Our own words.</p>" in page and "&lt;paragraph&gt;" in page
    assert "after 12 months" not in page


# What the desk and the patient did with each request made at /book without an enquiry.
NEVER_ATTENDED = {
    "requested": lambda appointment, at: appointment,
    "offered": lambda appointment, at: propose_times(appointment, [at + timedelta(days=5)],
                                                     now=at),
    "declined": lambda appointment, at: decline(appointment, "No room that week", now=at),
    "cancelled-by-them": lambda appointment, at: patient_cancel(
        appointment, f"{appointment.patient_name} is away", now=at),
    "confirmed-then-cancelled": lambda appointment, at: cancel(
        confirm(appointment, at + timedelta(days=6), now=at), "The clinic is closed",
        by_patient=False, now=at),
}


def _asked_at_book(asked_at: datetime, number: int, what=NEVER_ATTENDED["requested"]):
    """A request as /book makes one (no enquiry), by a person of their own; returns their
    name, email and phone."""
    person = (f"Booker {number:02d} Person", f"booker{number:02d}@example.org",
              f"+4477009003{number:02d}")
    with time_machine.travel(asked_at, tick=False):
        load_defaults()
        appointment = request_appointment(BookingRequest(
            patient_name=person[0], email=person[1], phone=person[2], reason=f"{person[0]}'s back",
            preferred_times=["Any weekday morning"], consent_contact=True), now=asked_at)
        what(appointment, asked_at + timedelta(hours=1))
    return person


def test_purge_deletes_old_booking_requests_without_an_enquiry_that_were_never_confirmed(
    runner,
):
    gone = [_asked_at_book(OLD, number, what)
            for number, what in enumerate(NEVER_ATTENDED.values())]
    confirmed_old = _asked_at_book(OLD, 20, lambda appointment, at: confirm(
        appointment, at + timedelta(days=4), now=at))
    recent = [_asked_at_book(RECENT, 30 + number, what)
              for number, what in enumerate(NEVER_ATTENDED.values())]
    assert all(traces(*person) for person in gone)

    with time_machine.travel(NOW, tick=False):
        dry = runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat(), "--dry-run"])
        assert "0 enquiries and 5 booking requests would be deleted" in dry.output
        result = runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Deleted 0 enquiries and 5 booking requests" in result.output
    db.session.expire_all()

    for person in gone:
        assert traces(*person) == [], person
    for person in [confirmed_old, *recent]:
        assert traces(person[0]) and traces(person[1]), person
    kept = db.session.execute(select(Appointment.email)).scalars()
    assert sorted(kept) == sorted(person[1] for person in [confirmed_old, *recent])
    waiting = db.session.execute(select(OutboxMessage.recipient).where(
        OutboxMessage.status == PENDING)).scalars()
    assert not {person[1] for person in gone} & set(waiting)
    entry = db.session.execute(select(AuditEntry)).scalar_one()
    assert entry.detail.startswith("0 enquiries and 5 booking requests")
