"""Whether the patient came: marked by the osteopath once a confirmed appointment has started,
and open to correction afterwards. No email goes; the patient's export holds it."""

from datetime import datetime

from app.models import Appointment
from app.models.booking import ATTENDANCE, CONFIRMED
from app.timeutil import format_clinic_time, utcnow

from .changes import change
from .errors import BookingError, NotAllowedNow

ATTENDANCE_WORDS = {"attended": "attended", "did_not_attend": "did not attend"}


def mark_attendance(appointment: Appointment, attendance: str,
                    now: datetime | None = None) -> Appointment:
    """Record `attendance` (one of ATTENDANCE) on a confirmed appointment that has started.
    The same mark again is NotAllowedNow; before the start, BookingError."""
    if attendance not in ATTENDANCE:
        raise BookingError("Choose whether the patient attended.")
    now = now or utcnow()

    def step(appt: Appointment) -> None:
        if appt.starts_at > now:
            raise BookingError(
                "This appointment has not started yet: attendance can be marked from "
                f"{format_clinic_time(appt.starts_at, '%H:%M, %A %-d %B %Y')}.")
        if appt.attendance == attendance:
            raise NotAllowedNow(f"Already marked as {ATTENDANCE_WORDS[attendance]}; "
                                "nothing was changed.")
        appt.attendance, appt.attendance_marked_at = attendance, now
        appt.updated_at = now

    return change(appointment, (CONFIRMED,), step)
