"""Every change to an appointment after it is asked for, by the osteopath or the patient.

Each function is one transaction: it takes the diary lock, reads the appointment afresh (a
second tab or a second worker may have changed it meanwhile), applies the rule, enqueues the
emails and commits; on any error nothing is kept. A confirmed overlap is refused by the check
here and, if two changes race past it, by the database (migration 0004): both end as
BookingConflict.
"""

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Appointment
from app.models.booking import (
    BY_CLINIC,
    BY_PATIENT,
    CANCELLED,
    CONFIRMED,
    DECLINED,
    OFFERED,
    REQUESTED,
)
from app.policy import MAX_OFFERED_TIMES
from app.timeutil import as_utc, format_clinic_time, utcnow

from . import emails
from .availability import appointment_length, busy_intervals, lock_the_diary, overlapping_confirmed
from .errors import BookingConflict, BookingError, NotAllowedNow, SlotUnavailable
from .links import iso_utc

CANCELLABLE = (REQUESTED, OFFERED, CONFIRMED)
STATUS_WORDS = {
    REQUESTED: "a request", OFFERED: "waiting for the patient to choose a time",
    CONFIRMED: "confirmed", DECLINED: "declined", CANCELLED: "cancelled",
}


def _whole_minute(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise BookingError("Appointment times must carry their time zone.")
    return as_utc(moment).replace(second=0, microsecond=0)


def change(appointment: Appointment, allowed: tuple[str, ...], step):
    """Run `step(appointment)` under the diary lock in one transaction, or change nothing."""
    try:
        lock_the_diary()
        db.session.refresh(appointment)
        if appointment.status not in allowed:
            raise NotAllowedNow(f"This appointment is {STATUS_WORDS[appointment.status]}, "
                                "so that cannot be done now.")
        step(appointment)
        db.session.flush()
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if _is_overlap(error):
            raise BookingConflict() from None
        raise
    except Exception:
        db.session.rollback()
        raise
    return appointment


def _is_overlap(error: IntegrityError) -> bool:
    # 23P01 is PostgreSQL's exclusion_violation; SQLite's trigger aborts with our own words.
    return (getattr(error.orig, "sqlstate", None) == "23P01"
            or "overlaps a confirmed appointment" in str(error.orig))


def _place(appointment: Appointment, start: datetime, now: datetime) -> None:
    if start <= now:
        raise NotAllowedNow("That time has already passed.")
    length = (appointment.ends_at - appointment.starts_at if appointment.status == CONFIRMED
              else appointment_length())
    if overlapping_confirmed(start, start + length, ignore_id=appointment.id) is not None:
        raise BookingConflict()
    appointment.starts_at, appointment.ends_at = start, start + length
    appointment.hold_until = None
    appointment.offered_starts = []
    appointment.reschedule_requested, appointment.reschedule_note = False, ""
    appointment.updated_at = now


def confirm(appointment: Appointment, start: datetime | None = None,
            now: datetime | None = None) -> Appointment:
    """Confirm a request or offer at its own slot, or at `start` (a time agreed by phone or
    matching the patient's preferred times). Sends the confirmation with its .ics and
    schedules the reminder. Raises BookingConflict if a confirmed appointment overlaps."""
    now = now or utcnow()

    def step(appt: Appointment) -> None:
        chosen = _whole_minute(start) if start is not None else appt.starts_at
        if chosen is None:
            raise BookingError("Choose a time to confirm: this request has no slot.")
        _place(appt, chosen, now)
        appt.status = CONFIRMED
        db.session.flush()  # the database's overlap guard speaks before any email is queued
        emails.confirmed(appt, now)

    return change(appointment, (REQUESTED, OFFERED), step)


def decline(appointment: Appointment, reason: str, now: datetime | None = None) -> Appointment:
    """Turn down a request or offer; the patient is emailed `reason`."""
    reason = (reason or "").strip()
    if not reason:
        raise BookingError("Give the patient a short reason; it goes in their email.")

    def step(appt: Appointment) -> None:
        appt.status, appt.decline_reason = DECLINED, reason[:500]
        appt.hold_until, appt.offered_starts = None, []
        appt.updated_at = now or utcnow()
        emails.declined(appt)

    return change(appointment, (REQUESTED, OFFERED), step)


def propose_times(appointment: Appointment, starts: list[datetime],
                  now: datetime | None = None) -> Appointment:
    """Offer the patient other times, each with its own accept link in one email.

    A request gives up its slot and waits for the patient's choice. A confirmed appointment
    keeps its time until the patient accepts one, which then moves it (same UID, SEQUENCE+1).
    Raises BookingConflict naming a time that overlaps a confirmed appointment.
    """
    now = now or utcnow()
    chosen = sorted({_whole_minute(start) for start in starts})
    if not 1 <= len(chosen) <= MAX_OFFERED_TIMES:
        raise BookingError(f"Offer between 1 and {MAX_OFFERED_TIMES} times.")

    def step(appt: Appointment) -> None:
        if appt.offered_starts == [iso_utc(start) for start in chosen]:
            # The same offer's email has its key already, so none would go: say so instead.
            raise NotAllowedNow("These times are already on offer; the patient has the email.")
        length = appointment_length()
        for start in chosen:
            if start <= now:
                raise BookingError("Every offered time must be in the future.")
            if overlapping_confirmed(start, start + length, ignore_id=appt.id) is not None:
                raise BookingConflict(f"{format_clinic_time(start)} overlaps an "
                                      "appointment that is already confirmed.")
        if appt.status != CONFIRMED:
            appt.status = OFFERED
            appt.starts_at = appt.ends_at = appt.hold_until = None
        appt.offered_starts = [iso_utc(start) for start in chosen]
        appt.updated_at = now
        emails.offered(appt)

    return change(appointment, (REQUESTED, OFFERED, CONFIRMED), step)


def accept_offer(appointment: Appointment, start: datetime,
                 now: datetime | None = None) -> Appointment:
    """The patient takes one offered time (by its signed link): an offer is confirmed, a
    confirmed appointment moves there. Raises SlotUnavailable if the time has gone since."""
    now = now or utcnow()
    start = _whole_minute(start)

    def step(appt: Appointment) -> None:
        if iso_utc(start) not in appt.offered_starts:
            raise NotAllowedNow("That time is no longer on offer.")
        length = appointment_length()
        if busy_intervals(start, start + length, now, ignore_id=appt.id):
            raise SlotUnavailable("Sorry, that time has just been taken. Please choose another "
                                  "of the times, or call us.")
        moving = appt.status == CONFIRMED
        _place(appt, start, now)
        if moving:
            appt.sequence += 1
            db.session.flush()
            emails.rescheduled(appt, now)
        else:
            appt.status = CONFIRMED
            db.session.flush()
            emails.confirmed(appt, now)
        emails.tell_clinic(appt, "accepted")

    return change(appointment, (OFFERED, CONFIRMED), step)


def reschedule(appointment: Appointment, new_start: datetime,
               now: datetime | None = None) -> Appointment:
    """Move a confirmed appointment: same UID, SEQUENCE+1, a new .ics and a new reminder.

    Raises BookingConflict if the new time overlaps another confirmed appointment."""
    now = now or utcnow()

    def step(appt: Appointment) -> None:
        _place(appt, _whole_minute(new_start), now)
        appt.sequence += 1
        db.session.flush()
        emails.rescheduled(appt, now)

    return change(appointment, (CONFIRMED,), step)


def cancel(appointment: Appointment, reason: str, by_patient: bool,
           now: datetime | None = None) -> Appointment:
    """Cancel a request, offer or appointment; a confirmed one gets a METHOD:CANCEL .ics.

    The pending reminder is withdrawn. When the patient cancels, the osteopath is told.
    The minimum notice is not checked here: see `patient_cancel`.
    """
    return change(appointment, CANCELLABLE, cancelling(reason, by_patient, now or utcnow()))


def cancelling(reason: str, by_patient: bool, now: datetime, check=None):
    """The cancel step for `change`; `check(appointment)` runs first under the lock."""
    def step(appt: Appointment) -> None:
        if check is not None:
            check(appt)
        was_confirmed = appt.status == CONFIRMED
        if was_confirmed:
            appt.sequence += 1  # calendars only act on a higher SEQUENCE
        appt.status, appt.cancel_reason = CANCELLED, (reason or "").strip()[:500]
        appt.cancelled_by = BY_PATIENT if by_patient else BY_CLINIC
        appt.hold_until, appt.offered_starts = None, []
        appt.reschedule_requested = False
        appt.updated_at = now
        emails.cancelled(appt, was_confirmed, by_patient)

    return step
