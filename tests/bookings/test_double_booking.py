"""Two confirmed appointments can never share time: by the service, and by the database itself."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from app.bookings.service import BookingConflict, confirm
from app.extensions import db
from app.models import Appointment

from ..support.postgres import wait_until_blocked
from .helpers import MONDAY_9AM_BST, SPRING_NOW, fresh, outbox_keys, wanting

HOUR = timedelta(hours=1)
HALF = timedelta(minutes=30)


def test_a_second_overlapping_confirmation_is_refused_and_changes_nothing(app):
    first, second = wanting(SPRING_NOW), wanting(SPRING_NOW, "Ben Ng", "ben@example.org")
    confirm(first, MONDAY_9AM_BST, now=SPRING_NOW)
    before = outbox_keys()

    with pytest.raises(BookingConflict) as refused:
        confirm(second, MONDAY_9AM_BST + HALF, now=SPRING_NOW)

    assert "overlaps an appointment that is already confirmed" in str(refused.value)
    second = fresh(second)
    assert (second.status, second.starts_at) == ("requested", None)
    assert outbox_keys() == before


def test_back_to_back_appointments_are_fine(app):
    first, second = wanting(SPRING_NOW), wanting(SPRING_NOW, "Ben Ng", "ben@example.org")
    confirm(first, MONDAY_9AM_BST, now=SPRING_NOW)
    # The first ends at 09:45; one starting then shares no time with it.
    confirm(second, MONDAY_9AM_BST + timedelta(minutes=45), now=SPRING_NOW)
    assert fresh(second).status == "confirmed"


def _row(status: str, start, **changes) -> dict:
    return {
        "status": status, "patient_name": "Direct", "email": "direct@example.org", "reason": "",
        "starts_at": start, "ends_at": start + timedelta(minutes=45), "preferred_times": [],
        "offered_starts": [], "decline_reason": "", "cancel_reason": "",
        "reschedule_requested": False, "reschedule_note": "", "sequence": 0,
        "created_at": SPRING_NOW, "updated_at": SPRING_NOW, **changes,
    }


def _insert(status: str, start, uid: str) -> None:
    db.session.execute(insert(Appointment).values(_row(status, start, ics_uid=uid)))


def test_the_database_refuses_an_overlapping_confirmed_insert(app, backend):
    _insert("confirmed", MONDAY_9AM_BST, "a@test")
    db.session.commit()

    with pytest.raises(IntegrityError):
        _insert("confirmed", MONDAY_9AM_BST + HALF, "b@test")
    db.session.rollback()

    # Requests may overlap anything; only confirmed appointments are exclusive.
    _insert("requested", MONDAY_9AM_BST + HALF, "c@test")
    _insert("cancelled", MONDAY_9AM_BST, "d@test")
    _insert("confirmed", MONDAY_9AM_BST + timedelta(minutes=45), "e@test")
    db.session.commit()


def test_the_database_refuses_an_update_that_makes_an_overlap(app, backend):
    _insert("confirmed", MONDAY_9AM_BST, "a@test")
    _insert("requested", MONDAY_9AM_BST + HALF, "b@test")
    _insert("confirmed", MONDAY_9AM_BST + HOUR, "c@test")
    db.session.commit()

    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Appointment).where(Appointment.ics_uid == "b@test").values(status="confirmed")
        )
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Appointment)
            .where(Appointment.ics_uid == "c@test")
            .values(starts_at=MONDAY_9AM_BST + HALF, ends_at=MONDAY_9AM_BST + HALF + HOUR)
        )
    db.session.rollback()


def _in_own_context(app, appointment_id: int, start, barrier, outcomes: list) -> None:
    with app.app_context():
        try:
            appointment = db.session.get(Appointment, appointment_id)
            db.session.commit()  # hold no snapshot or lock while waiting for the other thread
            barrier.wait(timeout=30)
            confirm(appointment, start, now=SPRING_NOW)
            outcomes.append(("confirmed", appointment_id))
        except BookingConflict as error:
            outcomes.append(("refused", str(error)))
        except Exception as error:  # a thread's own failure must reach the test's asserts
            outcomes.append(("error", repr(error)))
        finally:
            db.session.remove()


@pytest.mark.postgres
def test_two_real_concurrent_confirmations_only_one_wins(app):
    first, second = wanting(SPRING_NOW), wanting(SPRING_NOW, "Ben Ng", "ben@example.org")
    ids = [first.id, second.id]
    db.session.commit()
    barrier, outcomes = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_in_own_context,
                         args=(app, appointment_id, MONDAY_9AM_BST + offset, barrier, outcomes))
        for appointment_id, offset in zip(ids, (timedelta(0), HALF), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(kind for kind, _ in outcomes) == ["confirmed", "refused"]
    (message,) = [detail for kind, detail in outcomes if kind == "refused"]
    assert "already confirmed" in message
    statuses = sorted(fresh(a).status for a in (first, second))
    assert statuses == ["confirmed", "requested"]
    (winner,) = [detail for kind, detail in outcomes if kind == "confirmed"]
    assert [key for key in outbox_keys() if ":confirmed:" in key] == [
        f"appointment:{winner}:confirmed:0"
    ]


@pytest.mark.postgres
def test_a_confirmation_that_passed_its_check_still_loses_to_the_database(app):
    appointment = wanting(SPRING_NOW)
    db.session.commit()
    # Another writer that does not take the diary lock: its row is not yet visible to the
    # service's overlap check, so only the exclusion constraint can stop the second booking.
    other = db.engine.connect()
    other_txn = other.begin()
    other.execute(insert(Appointment).values(_row("confirmed", MONDAY_9AM_BST, ics_uid="x@t")))
    outcomes: list = []
    thread = threading.Thread(
        target=_in_own_context,
        args=(app, appointment.id, MONDAY_9AM_BST + HALF, threading.Barrier(1), outcomes),
    )
    thread.start()
    wait_until_blocked(thread, "the confirmation on the constraint")
    other_txn.commit()
    other.close()
    thread.join(timeout=30)

    assert [kind for kind, _ in outcomes] == ["refused"]
    assert fresh(appointment).status == "requested"
    assert not [key for key in outbox_keys() if ":confirmed:" in key]
