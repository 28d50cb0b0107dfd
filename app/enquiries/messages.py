"""The emails an enquiry causes, and what each is rendered from when it is sent."""

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Enquiry, OutboxMessage
from app.outbox.registry import context_builder
from app.outbox.service import enqueue

from . import choices
from .screening import questions_for

ACK = "enquiry_acknowledgement"
NOTIFY = "enquiry_notification"


def enqueue_acknowledgement(enquiry: Enquiry) -> OutboxMessage:
    subject = "We have your enquiry"
    if enquiry.is_urgent:
        subject = "We have your enquiry - please read our urgent advice"
    return enqueue(
        key=f"enquiry:{enquiry.id}:acknowledgement",
        template=ACK,
        to=enquiry.email,
        to_name=enquiry.name,
        subject=f"{subject} | {current_app.config['CLINIC_NAME']}",
        enquiry_id=enquiry.id,
    )


def enqueue_notification(enquiry: Enquiry) -> OutboxMessage:
    about = choices.label_for(choices.PROBLEMS, enquiry.problem).lower()
    if enquiry.urgency == "emergency":
        subject = f"URGENT (emergency symptoms): enquiry from {enquiry.name}"
    elif enquiry.urgency == "urgent":
        subject = f"URGENT (same-day advice given): enquiry from {enquiry.name}"
    else:
        subject = f"New enquiry from {enquiry.name}: {about}"
    return enqueue(
        key=f"enquiry:{enquiry.id}:notification",
        template=NOTIFY,
        to=current_app.config["CLINIC_NOTIFY_EMAIL"],
        reply_to=enquiry.email,
        subject=subject,
        enquiry_id=enquiry.id,
    )


def _enquiry_context(row: OutboxMessage) -> dict | None:
    if row.enquiry_id is None:
        return None
    enquiry = db.session.execute(
        select(Enquiry).where(Enquiry.id == row.enquiry_id)
    ).scalar_one_or_none()
    if enquiry is None:
        return None
    return {"enquiry": enquiry, "answers": describe(enquiry)}


def describe(enquiry: Enquiry) -> dict:
    """The enquiry's answers in the words the form used."""
    return {
        "problem": choices.label_for(choices.PROBLEMS, enquiry.problem),
        "duration": choices.label_for(choices.DURATIONS, enquiry.duration),
        "triggers": [choices.label_for(choices.TRIGGERS, code) for code in enquiry.triggers],
        "red_flags": questions_for(enquiry.red_flags),
    }


context_builder(ACK)(_enquiry_context)
context_builder(NOTIFY)(_enquiry_context)
