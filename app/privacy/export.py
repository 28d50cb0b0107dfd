"""What a person's export contains: their own words and records, in plain names.

The same structure is sent as JSON and shown as a page, so the two never disagree.
"""

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import EnquiryReply
from app.programme.service import enrolment_for


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _enquiry(enquiry) -> dict:
    replies = db.session.execute(
        select(EnquiryReply).where(EnquiryReply.enquiry_id == enquiry.id)
        .order_by(EnquiryReply.id)
    ).scalars().all()
    enrolment = enrolment_for(enquiry.id)
    return {
        "number": enquiry.id,
        "sent_at": _when(enquiry.created_at),
        "name": enquiry.name,
        "email": enquiry.email,
        "phone": enquiry.phone,
        "problem": enquiry.problem,
        "where": enquiry.location,
        "how_long": enquiry.duration,
        "brought_on_by": list(enquiry.triggers) + (
            [enquiry.trigger_other] if enquiry.trigger_other else []),
        "pain_score": enquiry.pain_score,
        "message": enquiry.message,
        "warning_signs_reported": list(enquiry.red_flags),
        "wants_appointment": enquiry.wants_appointment,
        "consent": {
            "contact": enquiry.consent_contact,
            "exercises_and_check_ins": enquiry.consent_followup,
            "wording_version": enquiry.consent_version,
            "given_at": _when(enquiry.consent_at),
        },
        "status": enquiry.status,
        "replies": [
            {"sent_at": _when(reply.created_at), "subject": reply.subject, "text": reply.body}
            for reply in replies
        ],
        "programme": _enrolment(enrolment) if enrolment else None,
    }


def _enrolment(enrolment) -> dict:
    return {
        "status": enrolment.status,
        "started_at": _when(enrolment.enrolled_at),
        "pain_at_start": enrolment.pain_at_enrolment,
        "article_parts": list(enrolment.parts),
        "check_ins": [
            {
                "week": checkin.week,
                "answered_at": _when(checkin.answered_at),
                "sessions_per_week": checkin.sessions_per_week,
                "sets": checkin.sets,
                "repetitions": checkin.repetitions,
                "effort": checkin.effort,
                "weaker_side": checkin.weaker_side,
                "band": checkin.band,
                "pain_score": checkin.pain_score,
                "warning_signs_reported": list(checkin.red_flags),
                "advice_given": list(checkin.advice),
                "notes": checkin.notes,
            }
            for checkin in enrolment.checkins
        ],
    }


def _appointment(appointment) -> dict:
    return {
        "number": appointment.id,
        "status": appointment.status,
        "name": appointment.patient_name,
        "email": appointment.email,
        "phone": appointment.phone,
        "reason": appointment.reason,
        "starts_at": _when(appointment.starts_at),
        "ends_at": _when(appointment.ends_at),
        "preferred_times": list(appointment.preferred_times),
        "cancel_reason": appointment.cancel_reason,
        "reschedule_note": appointment.reschedule_note,
        "asked_at": _when(appointment.created_at),
    }


def describe(person) -> dict:
    return {
        "email_address": person.email,
        "enquiries": [_enquiry(enquiry) for enquiry in person.enquiries],
        "appointments": [_appointment(appointment) for appointment in person.appointments],
        "emails": [
            {
                "subject": message.subject,
                "to": message.recipient,
                "status": message.status,
                "written_at": _when(message.created_at),
                "sent_at": _when(message.sent_at),
            }
            for message in person.messages
        ],
    }
