"""Turning an outbox row into the email the mail server is given."""

from dataclasses import dataclass
from email.utils import formataddr, formatdate
from functools import lru_cache

from flask import current_app, render_template
from flask_mail import sanitize_address, sanitize_subject

from app.models import OutboxMessage

from . import mime
from .registry import build_context


@dataclass(frozen=True)
class Attachment:
    """A file a context builder asks to attach, e.g. an .ics invitation."""

    filename: str
    content_type: str
    data: bytes
    disposition: str = "attachment"


@dataclass(frozen=True)
class Outgoing:
    """A rendered email: the envelope, and the message's bytes."""

    sender: str
    recipients: list[str]
    raw: bytes


def render_outgoing(row: OutboxMessage) -> Outgoing | None:
    """The email for a row, or None when what it was about no longer exists.

    Written out here, not while the server waits, so that a message that cannot be written
    fails alone, like one that cannot be rendered.
    """
    context = build_context(row)
    if context is None:
        return None
    context.setdefault("public_base_url", current_app.config["PUBLIC_BASE_URL"])
    config = current_app.config
    sender = _sender(config["CLINIC_NAME"], config["MAIL_DEFAULT_SENDER"])
    recipient = sanitize_address(row.recipient)
    # Flask-Mail's own helpers encode the subject and the addresses, as its Message does.
    # Its To header encodes and folds a display name before quoting it, so a long name, or
    # one with commas or brackets, would read as several addresses: the standard library's
    # formataddr quotes it properly.
    headers = [
        ("Subject", sanitize_subject(row.subject)),
        ("From", sender),
        ("To", formataddr((row.recipient_name, row.recipient), "utf-8")
         if row.recipient_name else recipient),
        ("Date", formatdate(localtime=True)),
        # The same row always carries the same Message-ID, so a resend after a crash is
        # recognisably the same email.
        ("Message-ID", row.message_id),
    ]
    if row.reply_to:
        headers.append(("Reply-To", sanitize_address(row.reply_to)))
    headers.extend(_extra_headers(context).items())
    raw = mime.write(
        headers,
        text=render_template(f"email/{row.template}.txt", **context),
        html=render_template(f"email/{row.template}.html", **context),
        attachments=context.get("attachments", ()),
    )
    return Outgoing(sender, [recipient], raw)


@lru_cache(maxsize=4)
def _sender(name: str, address: str) -> str:
    # The same for every email, and encoding the name is not cheap.
    return sanitize_address((name, address))


def _extra_headers(context: dict) -> dict:
    headers = {"Auto-Submitted": "auto-generated"}
    if context.get("unsubscribe_url"):
        # RFC 8058: mail clients may offer a one-click button that POSTs to this address.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers
