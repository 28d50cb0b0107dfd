"""What patients and the osteopath receive, read from the loopback SMTP server.

The suite runs with TZ=America/New_York: a 09:00 London appointment must say 09:00 anyway.
"""

from datetime import timedelta

import pytest

from app.bookings.service import (
    accept_offer,
    cancel,
    confirm,
    decline,
    propose_times,
    reschedule,
)
from app.models import OutboxMessage

from ..support.outbox import at, send_due
from .helpers import (
    MONDAY_9AM_BST,
    SPRING_NOW,
    ask_for,
    fresh,
    has_ics,
    html_of,
    ics_of,
    link_with,
    text_of,
    utc,
)

# The requests and changes below happen at SPRING_NOW, and the clock stays there: their emails
# are due at the very moment `send-due --now` names.
pytestmark = pytest.mark.time_machine(SPRING_NOW, tick=False)

PATIENT, CLINIC = "ana@example.org", "osteopath@clinic.example"
# 18:00 London summer time on Sunday 28 March, the evening before the Monday appointment.
REMINDER_DUE = utc(2027, 3, 28, 17, 0)


def sent(runner, smtp, moment) -> list:
    before = len(smtp.messages)
    send_due(runner, now=at(moment))
    return smtp.messages[before:]


def event_of(message):
    calendar = ics_of(message)
    (event,) = calendar.events
    return calendar, event


def test_request_then_confirmation_show_london_time_and_attach_the_invitation(
    app, runner, smtp
):
    appointment = ask_for(MONDAY_9AM_BST, SPRING_NOW)
    received, notice = sorted(sent(runner, smtp, SPRING_NOW), key=lambda m: m["To"])
    assert PATIENT in received["To"] and CLINIC in notice["To"]
    assert "Monday 29 March 2027 at 09:00" in text_of(received)
    assert "/booking/" in link_with(received, "/booking/")
    assert notice["Subject"].startswith("New booking request: Ana Silva")
    assert notice["Reply-To"] == PATIENT
    assert "Low back pain" in text_of(notice)

    confirm(appointment, now=SPRING_NOW)
    (confirmation,) = sent(runner, smtp, SPRING_NOW)
    assert confirmation["Subject"].startswith(
        "Your appointment is confirmed: Monday 29 March 2027 at 09:00"
    )
    assert "Monday 29 March 2027 at 09:00 (45 minutes)" in text_of(confirmation)
    assert "09:00" in html_of(confirmation)
    assert link_with(confirmation, "/booking/")
    calendar, event = event_of(confirmation)
    assert calendar["METHOD"] == "REQUEST"
    assert b"DTSTART;TZID=Europe/London:20270329T090000" in calendar.to_ical()
    assert event.start == MONDAY_9AM_BST
    assert str(event["UID"]) == fresh(appointment).ics_uid
    assert event["SEQUENCE"] == 0


def test_reschedule_keeps_the_uid_with_a_higher_sequence_and_cancel_removes_it(
    app, runner, smtp
):
    appointment = ask_for(MONDAY_9AM_BST, SPRING_NOW)
    confirm(appointment, now=SPRING_NOW)
    sent(runner, smtp, SPRING_NOW)
    uid = fresh(appointment).ics_uid

    tuesday_2pm = utc(2027, 3, 30, 13)  # 14:00 BST
    reschedule(appointment, tuesday_2pm, now=SPRING_NOW)
    (moved,) = sent(runner, smtp, SPRING_NOW)
    assert "Tuesday 30 March 2027 at 14:00" in text_of(moved)
    calendar, event = event_of(moved)
    assert (str(event["UID"]), event["SEQUENCE"], calendar["METHOD"]) == (uid, 1, "REQUEST")
    assert event.start == tuesday_2pm

    cancel(appointment, "The osteopath is unwell. We are very sorry.", by_patient=False,
           now=SPRING_NOW)
    (cancelled,) = sent(runner, smtp, SPRING_NOW)
    assert "Tuesday 30 March 2027 at 14:00 is cancelled" in text_of(cancelled)
    assert "The osteopath is unwell" in text_of(cancelled)
    assert link_with(cancelled, "/booking/")
    calendar, event = event_of(cancelled)
    assert (str(event["UID"]), event["SEQUENCE"], calendar["METHOD"]) == (uid, 2, "CANCEL")
    assert event["STATUS"] == "CANCELLED"
    # The clinic cancelled, so the clinic is not told about its own change.
    assert not [m for m in smtp.messages if CLINIC in m["To"] and "cancelled" in m["Subject"]]


def test_the_reminder_goes_once_at_six_the_evening_before(app, runner, smtp):
    appointment = ask_for(MONDAY_9AM_BST, SPRING_NOW)
    confirm(appointment, now=SPRING_NOW)
    sent(runner, smtp, SPRING_NOW)

    assert sent(runner, smtp, REMINDER_DUE - timedelta(minutes=1)) == []
    (reminder,) = sent(runner, smtp, REMINDER_DUE)
    assert reminder["Subject"].startswith("See you tomorrow at 09:00")
    assert "Monday 29 March 2027 at 09:00" in text_of(reminder)
    assert link_with(reminder, "/booking/")
    assert not has_ics(reminder)
    assert sent(runner, smtp, REMINDER_DUE + timedelta(hours=1)) == []
    assert sent(runner, smtp, utc(2027, 4, 30)) == []


def test_no_reminder_for_a_cancelled_appointment(app, db, runner, smtp):
    appointment = ask_for(MONDAY_9AM_BST, SPRING_NOW)
    confirm(appointment, now=SPRING_NOW)
    cancel(appointment, "", by_patient=False, now=SPRING_NOW)
    sent(runner, smtp, SPRING_NOW)

    assert sent(runner, smtp, REMINDER_DUE) == []
    reminder = db.session.query(OutboxMessage).filter_by(template="booking_reminder").one()
    assert reminder.status == "cancelled"


def test_a_rescheduled_appointment_is_reminded_of_its_new_time_only(app, db, runner, smtp):
    appointment = ask_for(MONDAY_9AM_BST, SPRING_NOW)
    confirm(appointment, now=SPRING_NOW)
    reschedule(appointment, utc(2027, 3, 31, 9), now=SPRING_NOW)  # Wednesday 10:00 BST
    sent(runner, smtp, SPRING_NOW)

    assert sent(runner, smtp, REMINDER_DUE) == []
    (reminder,) = sent(runner, smtp, utc(2027, 3, 30, 17))
    assert "Wednesday 31 March 2027 at 10:00" in text_of(reminder)
    keys = sorted(
        (row.idempotency_key, row.status)
        for row in db.session.query(OutboxMessage).filter_by(template="booking_reminder")
    )
    assert keys == [
        (f"appointment:{appointment.id}:reminder:0", "cancelled"),
        (f"appointment:{appointment.id}:reminder:1", "sent"),
    ]


def test_a_reminder_whose_appointment_moved_is_not_sent_even_if_still_pending(
    app, db, runner, smtp
):
    appointment = ask_for(MONDAY_9AM_BST, SPRING_NOW)
    confirm(appointment, now=SPRING_NOW)
    reminder = db.session.query(OutboxMessage).filter_by(template="booking_reminder").one()
    # A reminder row written before a move, as a worker racing the move might still hold it.
    reminder.context = {**reminder.context, "sequence": 7}
    db.session.commit()
    sent(runner, smtp, SPRING_NOW)
    assert sent(runner, smtp, REMINDER_DUE) == []


def test_an_appointment_confirmed_late_gets_no_reminder(app, db, runner, smtp):
    appointment = ask_for(None, SPRING_NOW, ["Monday morning"])
    confirm(appointment, MONDAY_9AM_BST, now=REMINDER_DUE + timedelta(hours=1))
    assert db.session.query(OutboxMessage).filter_by(template="booking_reminder").count() == 0


def test_declined_with_the_reason(app, runner, smtp):
    appointment = ask_for(None, SPRING_NOW, ["Saturday mornings", "Evenings after 7pm"])
    (received, notice) = sorted(sent(runner, smtp, SPRING_NOW), key=lambda m: m["To"])
    # The patient's copy repeats nothing typed (anyone can type any address); the clinic's does.
    assert "Saturday mornings" not in text_of(received)
    assert "- Saturday mornings" in text_of(notice) and "Evenings after 7pm" in text_of(notice)
    decline(appointment, "We are not open at weekends or in the evening.", now=SPRING_NOW)
    (declined,) = sent(runner, smtp, SPRING_NOW)
    assert "We are not open at weekends or in the evening." in text_of(declined)
    assert link_with(declined, "/booking/")


def test_offered_times_each_have_their_own_link(app, runner, smtp):
    appointment = ask_for(None, SPRING_NOW, ["Monday"])
    sent(runner, smtp, SPRING_NOW)
    propose_times(appointment, [MONDAY_9AM_BST, utc(2027, 3, 29, 13)], now=SPRING_NOW)
    (offer,) = sent(runner, smtp, SPRING_NOW)
    text = text_of(offer)
    assert "Monday 29 March 2027 at 09:00" in text and "Monday 29 March 2027 at 14:00" in text
    offer_links = [line for line in text.splitlines() if "/booking/offer/" in line]
    assert len(offer_links) == len(set(offer_links)) == 2
    assert link_with(offer, "/booking/") and not has_ics(offer)


def test_accepting_an_offer_for_a_confirmed_appointment_moves_it(app, runner, smtp):
    appointment = ask_for(MONDAY_9AM_BST, SPRING_NOW)
    confirm(appointment, now=SPRING_NOW)
    sent(runner, smtp, SPRING_NOW)
    friday_11am = utc(2027, 4, 2, 10)
    propose_times(appointment, [friday_11am], now=SPRING_NOW)
    assert fresh(appointment).status == "confirmed"  # the old time stays until one is chosen
    (offer,) = sent(runner, smtp, SPRING_NOW)
    assert "stays booked until you choose one" in text_of(offer)

    accept_offer(appointment, friday_11am, now=SPRING_NOW)
    moved, notice = sorted(sent(runner, smtp, SPRING_NOW), key=lambda m: m["To"])
    assert "Friday 2 April 2027 at 11:00" in text_of(moved)
    calendar, event = event_of(moved)
    assert (event["SEQUENCE"], calendar["METHOD"]) == (1, "REQUEST")
    assert notice["Subject"].startswith("Patient accepted an offered time")
