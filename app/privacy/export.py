"""What a person's export contains: their own words and records, in plain names.

Each table's columns say under which name they are exported, or why they are not
(`exported` and `not_exported` in app/models/types.py), so a column added to a model is in the
export without a change here, and a test fails until it says which.

The same structure is sent as JSON and shown as a page, so the two never disagree.
"""

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import EnquiryReply
from app.programme.service import enrolment_for


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def exported_values(row) -> dict:
    """The row's exported columns under their export names, in the order the model lists them."""
    values: dict = {}
    for column in type(row).__table__.columns:
        name = column.info.get("export")
        if name is None:
            continue
        value = _plain(getattr(row, column.key))
        group, _, key = name.rpartition(".")
        target = values.setdefault(group, {}) if group else values
        if column.info.get("export_joins"):
            # One answer kept in two columns, as a list: ticked options, then own words.
            target[key] = list(target[key]) + ([value] if value else [])
        else:
            target[key] = value
    return values


def _enquiry(enquiry) -> dict:
    replies = db.session.execute(
        select(EnquiryReply).where(EnquiryReply.enquiry_id == enquiry.id)
        .order_by(EnquiryReply.id)
    ).scalars().all()
    enrolment = enrolment_for(enquiry.id)
    return {
        **exported_values(enquiry),
        "replies": [exported_values(reply) for reply in replies],
        "programme": _enrolment(enrolment) if enrolment else None,
    }


def _enrolment(enrolment) -> dict:
    return {
        **exported_values(enrolment),
        "check_ins": [exported_values(checkin) for checkin in enrolment.checkins],
    }


def describe(person) -> dict:
    return {
        "email_address": person.email,
        "enquiries": [_enquiry(enquiry) for enquiry in person.enquiries],
        "appointments": [exported_values(appointment) for appointment in person.appointments],
        "emails": [exported_values(message) for message in person.messages],
    }
