"""A patient asks for an appointment: for a free slot, or at times they describe in words."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Appointment
from app.models.booking import REQUESTED
from app.submission import first_saved
from app.timeutil import as_utc, utcnow

from . import messages
from .availability import appointment_length, is_free, lock_the_diary
from .diary import booking_settings
from .errors import BookingError, SlotUnavailable
from .links import iso_utc

MAX_PREFERRED_TIMES = 3


@dataclass
class BookingRequest:
    """What the patient gave on /book. `start` is a slot's aware start, or None."""

    name: str
    email: str
    phone: str | None = None
    reason: str = ""
    start: datetime | None = None
    preferred_times: list[str] = field(default_factory=list)
    enquiry_id: int | None = None
    consent_contact: bool = False
    submission_key: str | None = None


@dataclass(frozen=True)
class BookingReceipt:
    """What the thank-you page says about a saved request, read before the commit (so saying
    thank you costs no query) or from the request a form sent again had made."""

    starts_at: str | None
    held_until: str | None
    hold_hours: int
    preferred_times: list[str]

    @classmethod
    def of(cls, appointment: Appointment) -> "BookingReceipt":
        held = appointment.hold_until
        hours = (held - appointment.created_at) / timedelta(hours=1) if held else 0
        return cls(
            starts_at=iso_utc(appointment.starts_at) if appointment.starts_at else None,
            held_until=iso_utc(held) if held else None,
            hold_hours=max(round(hours), 0),
            preferred_times=list(appointment.preferred_times),
        )


def new_ics_uid() -> str:
    """A UID no other event anywhere will have; kept by the appointment for ever."""
    return f"{uuid.uuid4()}@{current_app.config['MAIL_MESSAGE_ID_DOMAIN']}"


def request_appointment(request: BookingRequest, now: datetime | None = None) -> Appointment:
    """Save a request with its emails, in one transaction, and return it.

    With a `start`, the slot must still be free when checked under the diary lock; the request
    then holds it from other patients for the settings' hold time. Without one, up to three
    preferred times are kept for the osteopath to read. The same form sent again (its
    `submission_key`) returns the request it made the first time. Raises SlotUnavailable when
    the slot has gone or is not one offered, BookingError when neither a slot nor a time was
    given or the patient has not agreed to be contacted.
    """
    return _save(request, now)[0]


def receive_request(request: BookingRequest, now: datetime | None = None) -> BookingReceipt:
    """Save a request sent from /book (see `request_appointment`); returns what to tell them."""
    return _save(request, now)[1]


def _save(request: BookingRequest, now: datetime | None
          ) -> tuple[Appointment, BookingReceipt]:
    now = now or utcnow()
    if not request.consent_contact:
        raise BookingError("We need your agreement to contact you about this appointment.")
    preferred = [text.strip() for text in request.preferred_times if text and text.strip()]
    if request.start is None and not preferred:
        raise BookingError("Choose a time, or tell us up to three times that would suit you.")
    if len(preferred) > MAX_PREFERRED_TIMES:
        raise BookingError(f"Give at most {MAX_PREFERRED_TIMES} preferred times.")
    appointment = Appointment(
        status=REQUESTED,
        patient_name=request.name,
        email=request.email,
        phone=request.phone or None,
        reason=request.reason or "",
        enquiry_id=request.enquiry_id,
        preferred_times=preferred,
        offered_starts=[],
        ics_uid=new_ics_uid(),
        consent_version=current_app.config["CONSENT_WORDING_VERSION"],
        consent_at=now,
        sequence=0,
        submission_key=request.submission_key,
        created_at=now,
        updated_at=now,
    )
    try:
        if request.start is not None:
            lock_the_diary()
            start = as_utc(request.start)
            if not is_free(start, now):
                raise SlotUnavailable()
            appointment.starts_at = start
            appointment.ends_at = start + appointment_length()
            appointment.hold_until = now + timedelta(hours=booking_settings().hold_hours)
        db.session.add(appointment)
        db.session.flush()  # the emails' keys need the appointment's id
        messages.request_received(appointment)
        receipt = BookingReceipt.of(appointment)
        db.session.commit()
    except (IntegrityError, SlotUnavailable) as error:
        # A form sent again fails on its key, or finds the slot its first send now holds.
        earlier = first_saved(Appointment, request.submission_key, error)
        return earlier, BookingReceipt.of(earlier)
    except Exception:
        db.session.rollback()
        raise
    return appointment, receipt
