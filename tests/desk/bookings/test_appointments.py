"""Confirmed appointments on the desk: moving and cancelling them, and the dashboard's lists."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bookings.service import confirm, free_slots, patient_asks_to_reschedule
from app.extensions import db as sa_db
from app.models.privacy import AuditEntry
from app.timeutil import format_clinic_time, utcnow

from ...bookings.helpers import (
    ask_for,
    counts,
    fresh,
    ics_of,
    outbox_keys,
    soon_slot,
    text_of,
    wanting,
)
from ...support.clock import AN_ORDINARY_MORNING
from ...support.desk import post_form
from ...support.outbox import send_due, statements

# The desk's pages read the clock: the free slots, and "today" and "this week".
pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

PATIENT = "ana@example.org"


def booked(days_ahead: int = 3, name: str = "Ana Silva", email: str = PATIENT):
    appointment = ask_for(soon_slot(days_ahead), utcnow(), name=name, email=email)
    return confirm(appointment)


def act(desk, appointment, action: str, **fields):
    path = f"/admin/bookings/{appointment.id}"
    return post_form(desk, path, f"{path}/{action}", **fields)


def test_moving_an_appointment_sends_an_updated_invitation(desk, runner, smtp):
    appointment = booked()
    old_start = appointment.starts_at
    new_start = next(s for s, _ in free_slots() if s > old_start + timedelta(days=1))
    response = act(desk, appointment, "reschedule", slot=new_start.isoformat())
    assert response.status_code == 303
    assert "Moved to" in desk.get(response.headers["Location"]).text
    moved = fresh(appointment)
    assert moved.starts_at == new_start and moved.sequence == 1
    send_due(runner)
    (message,) = [m for m in smtp.to(PATIENT) if "has moved" in m["Subject"]]
    (event_,) = ics_of(message).events
    assert event_["UID"] == moved.ics_uid and int(event_["SEQUENCE"]) == 1
    assert format_clinic_time(new_start, "%H:%M") in message["Subject"]


def test_moving_twice_to_the_same_time_moves_once(desk):
    appointment = booked()
    new_start = next(s for s, _ in free_slots() if s > appointment.starts_at + timedelta(days=1))
    act(desk, appointment, "reschedule", slot=new_start.isoformat())
    again = act(desk, appointment, "reschedule", slot=new_start.isoformat())
    assert again.status_code == 303
    assert "already at that time" in desk.get(again.headers["Location"]).text
    assert fresh(appointment).sequence == 1
    assert sum(":rescheduled:" in key for key in outbox_keys()) == 1


def test_moving_onto_a_taken_time_is_refused_with_the_reason(desk):
    appointment = booked(3)
    other = booked(5, name="Rita Rival", email="rita@example.org")
    before = counts()
    response = act(desk, appointment, "reschedule", slot=other.starts_at.isoformat())
    assert response.status_code == 409
    assert "that time is no longer free" in response.text
    assert counts() == before and fresh(appointment).sequence == 0


def test_a_patient_asking_to_move_can_be_offered_times_and_keeps_theirs_meanwhile(desk, db):
    appointment = booked()
    kept = appointment.starts_at
    patient_asks_to_reschedule(appointment, "Mornings please")
    page = desk.get(f"/admin/bookings/{appointment.id}").text
    assert "The patient asks to reschedule" in page and "Mornings please" in page
    offer = next(s for s, _ in free_slots() if s > kept + timedelta(days=1))
    response = act(desk, appointment, "propose", slot_1=offer.isoformat())
    assert response.status_code == 303
    offered = fresh(appointment)
    assert offered.status == "confirmed" and offered.starts_at == kept
    assert len(offered.offered_starts) == 1
    assert any(":offered:" in key for key in outbox_keys())


def test_cancelling_needs_a_reason_and_sends_a_cancelled_invitation(desk, runner, smtp):
    appointment = booked()
    empty = act(desk, appointment, "cancel", reason="")
    assert empty.status_code == 400 and "Give the patient a short reason." in empty.text
    response = act(desk, appointment, "cancel", reason="I am unwell, sorry.")
    assert response.status_code == 303
    cancelled = fresh(appointment)
    assert cancelled.status == "cancelled" and cancelled.cancelled_by == "clinic"
    send_due(runner)
    (message,) = [m for m in smtp.to(PATIENT) if "cancelled" in m["Subject"]]
    assert "I am unwell, sorry." in text_of(message)
    assert str(ics_of(message)["METHOD"]) == "CANCEL"
    page = desk.get(f"/admin/bookings/{appointment.id}").text
    assert "Cancelled" in page and "I am unwell, sorry." in page
    # Looking at a patient's booking and changing it are both in the desk's audit log.
    log = sa_db.session.execute(
        select(AuditEntry.action, AuditEntry.detail)
        .where(AuditEntry.subject_type == "appointment", AuditEntry.subject_id == appointment.id)
    ).all()
    assert ("change", "cancel") in log and ("view", "") in log
    again = act(desk, appointment, "cancel", reason="again")
    assert again.status_code == 303 and fresh(appointment).cancel_reason == "I am unwell, sorry."


def test_the_dashboard_lists_requests_oldest_first_and_this_weeks_appointments(desk, db):
    now = utcnow()
    older = wanting(now, name="Olive Older", email="olive@example.org")
    older.created_at = now - timedelta(days=2)
    newer = ask_for(soon_slot(4), now, name="Nina Newer", email="nina@example.org")
    db.session.commit()
    moving = booked(6, name="Mo Mover", email="mo@example.org")
    patient_asks_to_reschedule(moving, "Thursdays are better", now=now)

    page = desk.get("/admin/").text
    requests = page.split('id="booking-requests"')[1].split("</section>")[0]
    assert requests.index("Olive Older") < requests.index("Nina Newer")
    assert "prefers: Any weekday morning" in requests
    assert format_clinic_time(newer.starts_at, "%H:%M, %a %-d %b %Y") in requests
    assert "Mo Mover" in requests and "Patient asks to reschedule" in requests
    assert requests.count("<li") == 3


def test_the_dashboard_shows_today_and_this_week_in_clinic_time(desk, db):
    now = utcnow()
    today = booked(0)
    # Confirmed by phone at a time today: placed directly, since online slots need notice.
    today.starts_at = now
    today.ends_at = today.starts_at + timedelta(minutes=45)
    db.session.commit()
    page = desk.get("/admin/").text
    section = page.split('id="appointments"')[1].split("</section>")[0]
    today_part = section.split("Later this week")[0]
    assert "Ana Silva" in today_part
    assert format_clinic_time(today.starts_at, "%H:%M") in today_part


def test_the_dashboard_reads_bookings_in_a_fixed_number_of_queries(desk, db):
    def queries_for_dashboard() -> int:
        with statements(sa_db.engine, "") as run:
            assert desk.get("/admin/").status_code == 200
        return len(run)

    wanting(utcnow(), name="First Patient", email="p0@example.org")
    booked(3, name="Booked Patient", email="b0@example.org")
    few = queries_for_dashboard()
    for n in range(1, 8):
        wanting(utcnow(), name=f"Patient {n}", email=f"p{n}@example.org")
    for n in range(1, 4):
        booked(3 + n, name=f"Booked {n}", email=f"b{n}@example.org")
    assert queries_for_dashboard() == few


def test_the_enquiry_page_lists_the_patients_appointments(desk, db):
    from ...support.desk import add_enquiry

    enquiry = add_enquiry(name="Ana Silva", email=PATIENT)
    assert "Appointments</h2>" not in desk.get(f"/admin/enquiries/{enquiry.id}").text
    appointment = booked()
    page = desk.get(f"/admin/enquiries/{enquiry.id}").text
    assert f'href="/admin/bookings/{appointment.id}"' in page and "Confirmed" in page
