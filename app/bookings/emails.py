"""A booking's emails: enqueued in the transaction of the change that causes them.

Each row keeps a snapshot of the time and SEQUENCE it was written about, so an email says what
was true when the change was made even if it is sent later. The reminder alone is checked
again when it is sent: it goes only if the appointment is still confirmed at that same time.

The reminder is due at the policy's reminder time (18:00 unless the clinic changes it) on the
clinic's clock the day before the appointment (an evening message is read before the day
starts, and a wall-clock time does not move when the clocks change). An appointment confirmed
after that moment gets no reminder: its confirmation has just arrived.
"""

import hashlib
from datetime import datetime, timedelta

from flask import current_app

from app.extensions import db
from app.links import public_url
from app.models import Appointment, OutboxMessage
from app.models.booking import CONFIRMED
from app.outbox.headers import safe_text
from app.outbox.render import Attachment
from app.outbox.service import cancel_pending, to_clinic, to_patient
from app.policy import reminder_time
from app.timeutil import clinic_zone, format_clinic_time

from . import calendar
from .diary import booking_settings
from .links import iso_utc, manage_url, offer_url

REQUESTED = "booking_requested"
CONFIRMED_MAIL = "booking_confirmed"
DECLINED = "booking_declined"
OFFERED = "booking_offered"
RESCHEDULED = "booking_rescheduled"
CANCELLED = "booking_cancelled"
REMINDER = "booking_reminder"
CLINIC_NOTICE = "booking_clinic_notice"
PATIENT_TEMPLATES = (REQUESTED, CONFIRMED_MAIL, DECLINED, OFFERED, RESCHEDULED, CANCELLED,
                     REMINDER)
WHEN = "%A %-d %B %Y at %H:%M"

# What the osteopath is told, by event: the patient's own changes only.
CLINIC_EVENTS = {
    "requested": "New booking request",
    "cancelled": "Appointment cancelled by the patient",
    "reschedule-asked": "Patient asks to change an appointment",
    "accepted": "Patient accepted an offered time",
}


def _snapshot(appointment: Appointment, **extra) -> dict:
    return {
        "appointment_id": appointment.id,
        "sequence": appointment.sequence,
        "starts_at": iso_utc(appointment.starts_at) if appointment.starts_at else None,
        "ends_at": iso_utc(appointment.ends_at) if appointment.ends_at else None,
        **extra,
    }


def _to_patient(appointment: Appointment, key: str, template: str, subject: str,
                due_at: datetime | None = None, named: bool = True, fresh: bool = False,
                **extra) -> OutboxMessage:
    return to_patient(
        key=f"appointment:{appointment.id}:{key}",
        template=template,
        to=appointment.email,
        to_name=appointment.patient_name if named else "",
        subject=subject,
        context=_snapshot(appointment, **extra),
        due_at=due_at,
        enquiry_id=appointment.enquiry_id,
        fresh=fresh,
    )


def _when(appointment: Appointment) -> str:
    return format_clinic_time(appointment.starts_at, WHEN)


def request_received(appointment: Appointment) -> None:
    """Written in the transaction that creates the request, so both keys are new. Anyone can
    type any address on /book, so the patient's copy repeats nothing they typed (no name, not
    even in the To header, nor their preferred times): only the clinic's words and the slot."""
    subject = "We have your appointment request"
    _to_patient(appointment, "requested", REQUESTED, subject, named=False, fresh=True)
    tell_clinic(appointment, "requested", fresh=True)


def confirmed(appointment: Appointment, now: datetime) -> None:
    subject = f"Your appointment is confirmed: {_when(appointment)}"
    _to_patient(appointment, f"confirmed:{appointment.sequence}", CONFIRMED_MAIL, subject)
    _schedule_reminder(appointment, now)


def declined(appointment: Appointment) -> None:
    _to_patient(appointment, "declined", DECLINED, "About your appointment request")


def offered(appointment: Appointment) -> None:
    digest = hashlib.sha256(",".join(appointment.offered_starts).encode()).hexdigest()[:12]
    _to_patient(appointment, f"offered:{digest}", OFFERED, "Times we can offer you",
                offered=list(appointment.offered_starts))


def rescheduled(appointment: Appointment, now: datetime) -> None:
    subject = f"Your appointment has moved: {_when(appointment)}"
    _to_patient(appointment, f"rescheduled:{appointment.sequence}", RESCHEDULED, subject)
    _cancel_reminders(appointment)
    _schedule_reminder(appointment, now)


def cancelled(appointment: Appointment, was_confirmed: bool, by_patient: bool) -> None:
    subject = "Your appointment is cancelled" if was_confirmed else "Your request is cancelled"
    _to_patient(appointment, "cancelled", CANCELLED, subject, was_confirmed=was_confirmed,
                by_patient=by_patient)
    _cancel_reminders(appointment)
    if by_patient:
        tell_clinic(appointment, "cancelled")


def tell_clinic(appointment: Appointment, event: str, fresh: bool = False) -> None:
    """Tell the osteopath about a change the patient made."""
    to_clinic(
        key=f"appointment:{appointment.id}:clinic:{event}:{appointment.sequence}",
        template=CLINIC_NOTICE,
        about=appointment.email,
        subject=f"{CLINIC_EVENTS[event]}: {appointment.patient_name}",
        context=_snapshot(appointment, event=event),
        enquiry_id=appointment.enquiry_id,
        fresh=fresh,
    )


def reminder_due(starts_at: datetime) -> datetime:
    """The reminder time on the clinic's clock the day before the appointment, as a UTC
    instant."""
    zone = clinic_zone()
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day_before, reminder_time(), tzinfo=zone).astimezone(
        starts_at.tzinfo
    )


def _schedule_reminder(appointment: Appointment, now: datetime) -> None:
    due = reminder_due(appointment.starts_at)
    if due <= now:
        return
    _to_patient(appointment, f"reminder:{appointment.sequence}", REMINDER,
                f"See you tomorrow at {format_clinic_time(appointment.starts_at, '%H:%M')}",
                due_at=due)


def _cancel_reminders(appointment: Appointment) -> None:
    cancel_pending(
        OutboxMessage.idempotency_key.like(f"appointment:{appointment.id}:reminder:%")
    )


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _invitation(appointment: Appointment, start: datetime, end: datetime, sequence: int,
                address: str) -> calendar.Invitation:
    config = current_app.config
    return calendar.Invitation(
        uid=appointment.ics_uid,
        sequence=sequence,
        start=start,
        end=end,
        # As the email's To shows it: one line, no control characters to invalidate the line.
        patient_name=safe_text(appointment.patient_name),
        patient_email=appointment.email,
        clinic_name=config["CLINIC_NAME"],
        clinic_email=config["MAIL_DEFAULT_SENDER"],
        clinic_address=address,
        summary=f"Osteopathy appointment, {config['CLINIC_NAME']}",
        description=f"To cancel or change it: {manage_url(appointment.id)}",
    )


def _ics(row: OutboxMessage, appointment: Appointment, start, end, address: str,
         method: calendar.Method) -> Attachment:
    invitation = _invitation(appointment, start, end, row.context["sequence"], address)
    data = calendar.invitation_ics(invitation, clinic_zone(), method, stamp=row.created_at)
    return Attachment("appointment.ics", calendar.content_type(method), data)


def _booking_context(row: OutboxMessage) -> dict | None:
    snapshot = row.context or {}
    appointment = db.session.get(Appointment, snapshot.get("appointment_id", -1))
    if appointment is None:
        return None
    starts_at, ends_at = _moment(snapshot.get("starts_at")), _moment(snapshot.get("ends_at"))
    if row.template == REMINDER and (
        appointment.status != CONFIRMED
        or appointment.sequence != snapshot.get("sequence")
        or appointment.starts_at != starts_at
    ):
        return None
    settings = booking_settings()
    address = settings.clinic_address
    context = {
        "appointment": appointment,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "when_format": WHEN,
        "clinic_address": address,
        "event_title": CLINIC_EVENTS.get(snapshot.get("event", ""), ""),
        "notice_hours": settings.minimum_notice_hours,
        "book_url": public_url("bookings.book"),
    }
    if row.template in PATIENT_TEMPLATES:
        context["manage_url"] = manage_url(appointment.id)
    if row.template in (CONFIRMED_MAIL, RESCHEDULED):
        method = calendar.Method.REQUEST
        context["attachments"] = [_ics(row, appointment, starts_at, ends_at, address, method)]
    if row.template == CANCELLED and snapshot.get("was_confirmed"):
        method = calendar.Method.CANCEL
        context["attachments"] = [_ics(row, appointment, starts_at, ends_at, address, method)]
    if row.template == OFFERED:
        context["offers"] = [
            (moment, offer_url(appointment.id, moment))
            for moment in map(_moment, snapshot.get("offered", []))
        ]
    return context


# What each email is rendered from when it is sent: app/emails.py registers the table.
BUILDERS = {template: _booking_context for template in (*PATIENT_TEMPLATES, CLINIC_NOTICE)}
