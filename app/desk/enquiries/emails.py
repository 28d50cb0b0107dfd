"""The osteopath's reply to an enquiry, as an outbox message."""

from flask import current_app

from app.extensions import db
from app.models import Enquiry, EnquiryReply, OutboxMessage
from app.outbox.service import enqueue

REPLY = "enquiry_reply"


def reply_key(reply: EnquiryReply) -> str:
    return f"enquiry:{reply.enquiry_id}:reply:{reply.id}"


def enqueue_reply(enquiry: Enquiry, reply: EnquiryReply) -> OutboxMessage:
    return enqueue(
        key=reply_key(reply),
        template=REPLY,
        to=enquiry.email,
        to_name=enquiry.name,
        # The patient's answer goes to the osteopath, not to the address the desk sends from.
        reply_to=current_app.config["CLINIC_NOTIFY_EMAIL"],
        subject=reply.subject,
        context={"reply_id": reply.id},
        enquiry_id=enquiry.id,
    )


def _reply_context(row: OutboxMessage) -> dict | None:
    reply_id = (row.context or {}).get("reply_id")
    reply = db.session.get(EnquiryReply, reply_id) if reply_id else None
    if reply is None:
        return None
    enquiry = db.session.get(Enquiry, reply.enquiry_id)
    if enquiry is None:
        return None
    return {"enquiry": enquiry, "reply": reply}


# What the email is rendered from when it is sent: app/emails.py registers the table.
BUILDERS = {REPLY: _reply_context}
