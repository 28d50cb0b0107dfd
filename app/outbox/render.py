"""Turning an outbox row into a multipart email."""

from flask import current_app, render_template
from flask_mail import Message

from app.models import OutboxMessage

from .registry import build_context


def render_message(row: OutboxMessage) -> Message | None:
    """The email for a row, or None when what it was about no longer exists."""
    context = build_context(row)
    if context is None:
        return None
    context.setdefault("public_base_url", current_app.config["PUBLIC_BASE_URL"])
    recipient = (row.recipient_name, row.recipient) if row.recipient_name else row.recipient
    message = Message(
        subject=row.subject,
        recipients=[recipient],
        body=render_template(f"email/{row.template}.txt", **context),
        html=render_template(f"email/{row.template}.html", **context),
        reply_to=row.reply_to,
        sender=(current_app.config["CLINIC_NAME"], current_app.config["MAIL_DEFAULT_SENDER"]),
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    # The same row always carries the same Message-ID, so a resend after a crash is
    # recognisably the same email.
    message.msgId = row.message_id
    return message
