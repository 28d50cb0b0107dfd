"""Turning an outbox row into the email the mail server is given."""

from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache

from flask import current_app, render_template

from app.addresses import UnsendableAddress, as_sent
from app.models import OutboxMessage

from . import headers, mime
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
    """A rendered email: the envelope (addresses in ASCII), and the message's bytes."""

    sender: str
    recipients: list[str]
    raw: bytes


def render_outgoing(row: OutboxMessage) -> Outgoing | None:
    """The email for a row, or None when what it was about no longer exists.

    Written out here, not while the server waits, so that a message that cannot be written
    fails alone, like one that cannot be rendered. Raises HeaderRefused or UnsendableAddress
    for a message that can never be sent as it is.
    """
    context = build_context(row)
    if context is None:
        return None
    context.setdefault("public_base_url", current_app.config["PUBLIC_BASE_URL"])
    config = current_app.config
    sender, from_header = _sender(config["CLINIC_NAME"], config["MAIL_DEFAULT_SENDER"])
    written = [
        headers.typed("Subject", row.subject),
        from_header,
        headers.mailbox("To", row.recipient_name or "", row.recipient),
        headers.fixed("Date", formatdate(localtime=True)),
        # The same row always carries the same Message-ID, so a resend after a crash is
        # recognisably the same email.
        headers.fixed("Message-ID", row.message_id),
    ]
    if row.reply_to:
        written.extend(_reply_to(row))
    written.extend(headers.fixed(name, value) for name, value in _extra_headers(context))
    raw = mime.write(
        written,
        text=render_template(f"email/{row.template}.txt", **context),
        html=render_template(f"email/{row.template}.html", **context),
        attachments=context.get("attachments", ()),
    )
    return Outgoing(sender, [as_sent(row.recipient)], raw)


@lru_cache(maxsize=4)
def _sender(name: str, address: str) -> tuple[str, headers.Written]:
    # The same for every email: the envelope's sender, and the From header.
    return as_sent(address), headers.mailbox("From", name, address)


def _reply_to(row: OutboxMessage) -> list[headers.Written]:
    # The osteopath's notification matters more than the shortcut for answering it: it goes
    # without one rather than not at all (the patient's address is in the text as well).
    try:
        return [headers.mailbox("Reply-To", "", row.reply_to)]
    except UnsendableAddress as error:
        current_app.logger.warning("outbox message %s sent without Reply-To: %s", row.id, error)
        return []


def _extra_headers(context: dict) -> list[tuple[str, str]]:
    extra = [("Auto-Submitted", "auto-generated")]
    if context.get("unsubscribe_url"):
        # RFC 8058: mail clients may offer a one-click button that POSTs to this address.
        extra.append(("List-Unsubscribe", f"<{context['unsubscribe_url']}>"))
        extra.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return extra
