"""The retention rule: what never led anywhere is deleted after RETENTION_MONTHS.

Two kinds of record name someone who may never have become a patient:

- an enquiry. It "led somewhere" if a programme was started from it, or an appointment linked
  to it was confirmed (whether still to come or past). Everything else about such an enquiry
  goes with it: the desk's replies, its requests that were never confirmed, and its emails.
- a booking request made at /book without an enquiry. It led somewhere only if it was
  confirmed; one requested, offered, declined or cancelled (so never attended) goes with its
  emails, the clinic's notices about it included.

Emails still waiting are cancelled and every one of them emptied (see erase_messages).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select

from app import audit
from app.database import clear_erased_from_files
from app.extensions import db
from app.models import Appointment, Enquiry, Enrolment
from app.models.booking import CONFIRMED
from app.timeutil import utcnow

from .erasure_log import RecordNumbers
from .service import erase_messages_about, erase_records

# A month is taken as 31 days: the rule never deletes anything earlier than promised.
DAYS_PER_MONTH = 31


@dataclass(frozen=True)
class Expired:
    enquiry_ids: list[int]
    # Requests without an enquiry; an expired enquiry's own requests are found through it.
    request_ids: list[int]

    def __str__(self) -> str:
        return (f"{len(self.enquiry_ids)} enquiries and {len(self.request_ids)} booking "
                "requests")


def cutoff(now: datetime | None = None) -> datetime:
    months = current_app.config["RETENTION_MONTHS"]
    return (now or utcnow()) - timedelta(days=DAYS_PER_MONTH * months)


def expired(now: datetime | None = None) -> Expired:
    before = cutoff(now)
    became_patient = exists().where(Enrolment.enquiry_id == Enquiry.id)
    confirmed = exists().where(
        Appointment.enquiry_id == Enquiry.id, Appointment.status == CONFIRMED
    )
    enquiry_ids = db.session.execute(
        select(Enquiry.id).where(Enquiry.created_at < before, ~became_patient, ~confirmed)
        .order_by(Enquiry.id)
    ).scalars()
    request_ids = db.session.execute(
        select(Appointment.id).where(
            Appointment.enquiry_id.is_(None), Appointment.status != CONFIRMED,
            Appointment.created_at < before,
        ).order_by(Appointment.id)
    ).scalars()
    return Expired(list(enquiry_ids), list(request_ids))


def purge(now: datetime | None = None) -> Expired:
    """Delete what has expired in one transaction; returns what went."""
    gone = expired(now)
    if not (gone.enquiry_ids or gone.request_ids):
        return gone
    appointment_ids = gone.request_ids + list(db.session.execute(
        select(Appointment.id).where(Appointment.enquiry_id.in_(gone.enquiry_ids))
    ).scalars())
    erase_messages_about(gone.enquiry_ids, appointment_ids)
    erase_records(RecordNumbers(enquiry=gone.enquiry_ids, appointment=appointment_ids))
    audit.record("purge", "person", None, detail=f"{gone} older than "
                 f"{current_app.config['RETENTION_MONTHS']} months", commit=False)
    db.session.commit()
    clear_erased_from_files()
    return gone
