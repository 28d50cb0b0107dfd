"""What a patient may change through their manage link, within the minimum notice.

Inside the notice (default 24 hours before a confirmed appointment) nothing changes online:
the osteopath may have turned other patients away for that time, so the patient is asked to
call instead. A request or an offer has no time kept yet and may always be withdrawn.
"""

from datetime import datetime, timedelta

from flask import current_app

from app.models import Appointment
from app.models.booking import CONFIRMED
from app.timeutil import utcnow

from . import emails
from .changes import CANCELLABLE, cancelling, change
from .diary import booking_settings
from .errors import NotAllowedNow, TooLateToChange


def change_deadline(appointment: Appointment) -> datetime | None:
    """Until when the patient may cancel or ask to move online; None if there is no time."""
    if appointment.starts_at is None:
        return None
    notice = timedelta(hours=booking_settings().minimum_notice_hours)
    return appointment.starts_at - notice


def too_late_message() -> str:
    hours = booking_settings().minimum_notice_hours
    return (f"Your appointment is less than {hours} hours away, so it can no longer be changed "
            f"online. Please call us on {current_app.config['CLINIC_PHONE']} and we will help.")


def _notice_check(now: datetime):
    def check(appointment: Appointment) -> None:
        deadline = change_deadline(appointment)
        if appointment.status == CONFIRMED and deadline is not None and now >= deadline:
            raise TooLateToChange(too_late_message())

    return check


def patient_cancel(appointment: Appointment, reason: str = "",
                   now: datetime | None = None) -> Appointment:
    """The patient cancels by their manage link; inside the minimum notice, TooLateToChange."""
    now = now or utcnow()
    return change(appointment, CANCELLABLE,
                  cancelling(reason, by_patient=True, now=now, check=_notice_check(now)))


def patient_asks_to_reschedule(appointment: Appointment, note: str = "",
                               now: datetime | None = None) -> Appointment:
    """The patient asks for another time; the osteopath is told and answers with
    `propose_times` or `reschedule`. Inside the minimum notice, TooLateToChange."""
    now = now or utcnow()
    within_notice = _notice_check(now)

    def step(appt: Appointment) -> None:
        within_notice(appt)
        if appt.reschedule_requested:
            raise NotAllowedNow("We already have your request to change this appointment and "
                                "will be in touch soon.")
        appt.reschedule_requested = True
        appt.reschedule_note = (note or "").strip()[:1000]
        appt.updated_at = now
        emails.tell_clinic(appt, "reschedule-asked")

    return change(appointment, (CONFIRMED,), step)
