"""Turning an outbox row into a multipart email."""

from dataclasses import dataclass
from email.utils import formataddr

from flask import current_app, render_template
from flask_mail import Message

from app.models import OutboxMessage

from .registry import build_context


@dataclass(frozen=True)
class Attachment:
    """A file a context builder asks to attach, e.g. an .ics invitation."""

    filename: str
    content_type: str
    data: bytes
    disposition: str = "attachment"


class _OutboxMessageMail(Message):
    """Flask-Mail's message with a To header built by the standard library.

    Flask-Mail encodes and folds a display name before quoting it, so a long name, or one with
    commas or brackets, reads as several addresses. The standard library quotes it properly.
    """

    def __init__(self, *, display_name: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.display_name = display_name

    def _message(self):
        message = super()._message()
        if self.display_name:
            del message["To"]
            message["To"] = formataddr((self.display_name, self.recipients[0]), "utf-8")
        return message


def render_message(row: OutboxMessage) -> Message | None:
    """The email for a row, or None when what it was about no longer exists."""
    context = build_context(row)
    if context is None:
        return None
    context.setdefault("public_base_url", current_app.config["PUBLIC_BASE_URL"])
    message = _OutboxMessageMail(
        display_name=row.recipient_name,
        subject=row.subject,
        recipients=[row.recipient],
        body=render_template(f"email/{row.template}.txt", **context),
        html=render_template(f"email/{row.template}.html", **context),
        reply_to=row.reply_to,
        sender=(current_app.config["CLINIC_NAME"], current_app.config["MAIL_DEFAULT_SENDER"]),
        extra_headers=_headers(context),
    )
    # The same row always carries the same Message-ID, so a resend after a crash is
    # recognisably the same email.
    message.msgId = row.message_id
    for attachment in context.get("attachments", ()):
        message.attach(
            filename=attachment.filename,
            content_type=attachment.content_type,
            data=attachment.data,
            disposition=attachment.disposition,
        )
    return message


def _headers(context: dict) -> dict:
    headers = {"Auto-Submitted": "auto-generated"}
    if context.get("unsubscribe_url"):
        # RFC 8058: mail clients may offer a one-click button that POSTs to this address.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers
