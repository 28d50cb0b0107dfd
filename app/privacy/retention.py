"""The retention rule: an enquiry that never led anywhere is deleted after RETENTION_MONTHS.

"Led somewhere" means the person became a patient: a programme was started from the
enquiry, or an appointment linked to it was confirmed (whether still to come or past).
Everything else about such an enquiry goes with it: the desk's replies, requests that were
declined or cancelled, and its emails (any still waiting are cancelled, the rest emptied).
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, select

from app.extensions import db
from app.models import Appointment, Enquiry, EnquiryReply, Enrolment, OutboxMessage
from app.models.booking import CONFIRMED
from app.timeutil import utcnow

from . import audit
from .service import erase_messages

# A month is taken as 31 days: the rule never deletes anything earlier than promised.
DAYS_PER_MONTH = 31


def cutoff(now: datetime | None = None) -> datetime:
    months = current_app.config["RETENTION_MONTHS"]
    return (now or utcnow()) - timedelta(days=DAYS_PER_MONTH * months)


def expired_enquiry_ids(now: datetime | None = None) -> list[int]:
    became_patient = exists().where(Enrolment.enquiry_id == Enquiry.id)
    confirmed = exists().where(
        Appointment.enquiry_id == Enquiry.id, Appointment.status == CONFIRMED
    )
    return list(db.session.execute(
        select(Enquiry.id).where(
            Enquiry.created_at < cutoff(now), ~became_patient, ~confirmed
        ).order_by(Enquiry.id)
    ).scalars())


def purge(now: datetime | None = None) -> int:
    """Delete expired enquiries in one transaction; returns how many went."""
    ids = expired_enquiry_ids(now)
    if not ids:
        return 0
    appointment_ids = list(db.session.execute(
        select(Appointment.id).where(Appointment.enquiry_id.in_(ids))
    ).scalars())
    about = OutboxMessage.enquiry_id.in_(ids)
    for appointment_id in appointment_ids:
        about = about | OutboxMessage.idempotency_key.startswith(f"appointment:{appointment_id}:")
    erase_messages(about)
    if appointment_ids:
        db.session.execute(delete(Appointment).where(Appointment.id.in_(appointment_ids)))
    db.session.execute(delete(EnquiryReply).where(EnquiryReply.enquiry_id.in_(ids)))
    db.session.execute(delete(Enquiry).where(Enquiry.id.in_(ids)))
    audit.record("purge", "enquiry", None, detail=f"{len(ids)} enquiries older than "
                 f"{current_app.config['RETENTION_MONTHS']} months", commit=False)
    db.session.commit()
    return len(ids)
