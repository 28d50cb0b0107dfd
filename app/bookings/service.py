"""The bookings service: everything the public pages and the desk may do, in one place.

The rules live in the modules imported here (diary, availability, requests, changes,
attendance, feed); this module adds the desk's lists. Every function that changes something
owns its transaction and raises a BookingError subclass whose message can be shown as it is.
"""

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Appointment
from app.models.booking import CONFIRMED, OPEN_STATUSES

from .attendance import ATTENDANCE_WORDS, mark_attendance
from .availability import free_slots, is_free
from .changes import accept_offer, cancel, confirm, decline, propose_times, reschedule
from .diary import (
    add_closure,
    booking_settings,
    closures_between,
    load_defaults,
    opening_hours,
    remove_closure,
    set_opening_hours,
    update_settings,
)
from .errors import (
    BookingConflict,
    BookingError,
    NotAllowedNow,
    SlotUnavailable,
    TooLateToChange,
)
from .feed import (
    current_feed,
    diary_calendar,
    feed_for_secret,
    feed_secret,
    issue_feed,
    revoke_feed,
)
from .links import book_from_enquiry_token, manage_url
from .patient_changes import (
    change_deadline,
    patient_asks_to_reschedule,
    patient_cancel,
    too_late_message,
)
from .requests import BookingReceipt, BookingRequest, receive_request, request_appointment

__all__ = [
    "BookingConflict", "BookingError", "BookingReceipt", "BookingRequest", "NotAllowedNow",
    "ATTENDANCE_WORDS", "SlotUnavailable", "TooLateToChange", "accept_offer", "add_closure",
    "appointments_between", "appointments_for_email",
    "book_from_enquiry_token", "booking_settings", "cancel", "change_deadline",
    "closures_between", "confirm", "current_feed", "decline", "diary_calendar",
    "feed_for_secret", "feed_secret", "free_slots", "get_appointment", "is_free", "issue_feed",
    "load_defaults", "manage_url", "mark_attendance", "open_requests", "opening_hours",
    "patient_asks_to_reschedule", "patient_cancel", "propose_times", "receive_request",
    "remove_closure", "request_appointment", "reschedule", "reschedule_requests", "revoke_feed",
    "set_opening_hours", "too_late_message", "update_settings",
]


def get_appointment(appointment_id: int) -> Appointment | None:
    return db.session.get(Appointment, appointment_id)


def open_requests() -> list[Appointment]:
    """Requests and offers waiting for someone, oldest first (the desk's to-do list)."""
    return list(
        db.session.execute(
            select(Appointment)
            .where(Appointment.status.in_(OPEN_STATUSES))
            .order_by(Appointment.created_at, Appointment.id)
        ).scalars()
    )


def appointments_between(start: datetime, end: datetime,
                         statuses: tuple[str, ...] = (CONFIRMED,)) -> list[Appointment]:
    """Appointments with these statuses starting in [start, end), in time order (the diary)."""
    return list(
        db.session.execute(
            select(Appointment)
            .where(
                Appointment.status.in_(statuses),
                Appointment.starts_at >= start,
                Appointment.starts_at < end,
            )
            .order_by(Appointment.starts_at)
        ).scalars()
    )


def reschedule_requests() -> list[Appointment]:
    """Confirmed appointments whose patient asked to move them, soonest first."""
    return list(
        db.session.execute(
            select(Appointment)
            .where(Appointment.status == CONFIRMED, Appointment.reschedule_requested)
            .order_by(Appointment.starts_at)
        ).scalars()
    )


def appointments_for_email(email: str) -> list[Appointment]:
    """Every appointment made with this address, newest first (for a patient's history)."""
    return list(
        db.session.execute(
            select(Appointment)
            .where(Appointment.email == email.strip())
            .order_by(Appointment.created_at.desc())
        ).scalars()
    )
