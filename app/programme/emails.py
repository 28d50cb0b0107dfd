"""The programme's emails: scheduled at enrolment, rendered with the content as it is when
they are sent, and cancelled as one when the patient unsubscribes or the osteopath stops them."""

from sqlalchemy import select

from app.clinical.screening import questions_for
from app.content.service import current_programme, parts_by_slug
from app.extensions import db
from app.links import public_url
from app.models import OutboxMessage
from app.models.outbox import CANCELLED, PENDING
from app.models.programme import ACTIVE, CheckIn, Enrolment
from app.outbox.service import cancel_pending, to_clinic, to_patient
from app.timeutil import clinic_zone
from app.tokens import make_token

from .schedule import CHECKIN_WEEKS, checkin_due, closing_due

WELCOME = "programme_welcome"
CHECKIN = "programme_checkin"
CLOSING = "programme_closing"
ALERT = "programme_alert"
PATIENT_TEMPLATES = (WELCOME, CHECKIN, CLOSING)
CONFIRM_ADDRESS = "confirm-address"


def _patient_email(enrolment: Enrolment, key: str, template: str, subject: str, due_at,
                   **context) -> None:
    enquiry = enrolment.enquiry
    to_patient(
        key=key,
        template=template,
        to=enquiry.email,
        to_name=enquiry.name,
        subject=subject,
        due_at=due_at,
        enquiry_id=enquiry.id,
        context={"enrolment_id": enrolment.id, **context},
        fresh=True,
    )


def schedule_programme(enrolment: Enrolment) -> None:
    """Only for an enrolment made in this transaction: its emails' keys are new, so they are
    written without looking for them first, all in one flush."""
    zone = clinic_zone()
    _patient_email(
        enrolment, f"programme:{enrolment.id}:welcome", WELCOME,
        "Your six-week hip strength programme", enrolment.enrolled_at,
    )
    for week in CHECKIN_WEEKS:
        _patient_email(
            enrolment, f"checkin:{enrolment.id}:week-{week}", CHECKIN,
            f"Week {week}: how is your programme going?",
            checkin_due(enrolment.enrolled_at, week, zone), week=week,
        )
    _patient_email(
        enrolment, f"programme:{enrolment.id}:closing", CLOSING,
        "Six weeks done: what next?", closing_due(enrolment.enrolled_at, zone),
    )


def _programme_rows(enrolment: Enrolment):
    return (
        OutboxMessage.enquiry_id == enrolment.enquiry_id,
        OutboxMessage.template.in_(PATIENT_TEMPLATES),
    )


def cancel_remaining(enrolment: Enrolment) -> None:
    cancel_pending(*_programme_rows(enrolment))


def revive(enrolment: Enrolment, now) -> None:
    """Put back the emails a pause cancelled; any whose time passed meanwhile go out now."""
    rows = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.status == CANCELLED, *_programme_rows(enrolment))
    ).scalars()
    for row in rows:
        row.status = PENDING
        row.due_at = max(row.due_at, now)


def enqueue_alert(checkin: CheckIn) -> None:
    enquiry = checkin.enrolment.enquiry
    to_clinic(
        key=f"checkin:{checkin.enrolment_id}:week-{checkin.week}:alert",
        template=ALERT,
        about=enquiry.email,
        subject=f"URGENT: week-{checkin.week} check-in from {enquiry.name} needs you",
        enquiry_id=enquiry.id,
        context={"enrolment_id": checkin.enrolment_id, "week": checkin.week},
    )


def unsubscribe_url(enrolment_id: int) -> str:
    return public_url(
        "programme.unsubscribe", token=make_token("unsubscribe", enrolment_id)
    )


def confirm_address_url(enquiry_id: int) -> str:
    """The acknowledgement's link that confirms the address and starts the programme."""
    return public_url(
        "programme.confirm_address", token=make_token(CONFIRM_ADDRESS, enquiry_id)
    )


def _enrolment_context(row: OutboxMessage) -> dict | None:
    enrolment = db.session.get(Enrolment, (row.context or {}).get("enrolment_id", -1))
    if enrolment is None:
        return None
    if row.template in PATIENT_TEMPLATES and enrolment.status != ACTIVE:
        return None
    context = {
        "enrolment": enrolment,
        "enquiry": enrolment.enquiry,
        "parts": parts_by_slug(enrolment.parts),
        "programme": current_programme(),
    }
    if row.template in PATIENT_TEMPLATES:
        context["unsubscribe_url"] = unsubscribe_url(enrolment.id)
    week = (row.context or {}).get("week")
    if row.template == CHECKIN:
        context["checkin_url"] = public_url(
            "programme.checkin", token=make_token("checkin", enrolment.id, week=week)
        )
    if row.template == ALERT:
        checkin = next((c for c in enrolment.checkins if c.week == week), None)
        if checkin is None:
            return None
        context["checkin"] = checkin
        context["red_flags"] = questions_for(checkin.red_flags)
    return context


# What each email is rendered from when it is sent: app/emails.py registers the table.
BUILDERS = {template: _enrolment_context for template in (*PATIENT_TEMPLATES, ALERT)}
