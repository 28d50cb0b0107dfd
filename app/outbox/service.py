"""Putting messages in the outbox. The caller's transaction decides whether they exist."""

import hashlib
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import OutboxMessage
from app.models.outbox import CANCELLED, FAILED, PENDING
from app.timeutil import utcnow

from .headers import safe_text
from .registry import require_registered


def message_id_for(idempotency_key: str) -> str:
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{digest}@{current_app.config['MAIL_MESSAGE_ID_DOMAIN']}>"


def enqueue(
    *,
    key: str,
    template: str,
    to: str,
    subject: str,
    context: dict | None = None,
    to_name: str = "",
    reply_to: str | None = None,
    due_at: datetime | None = None,
    enquiry_id: int | None = None,
    fresh: bool = False,
) -> OutboxMessage:
    """Add a message to the current transaction; nothing is sent until it commits.

    Enqueuing a key that already exists returns the existing row, so a repeated step never
    produces a second email. `fresh=True` says that the record the key names was created in
    this same transaction, so no message can have the key yet and the lookup is skipped (ids
    are never reused, on either database, so a new record's keys are new too).

    Names, subjects and addresses are stored in their safe form (one line; see
    app.outbox.headers.safe_text), cut to what their columns hold: the desk shows what the
    email will. A template no part registered is refused here (UnregisteredEmail), in the
    transaction that would have queued it, not found out when the worker renders it.
    """
    require_registered(template)
    if not fresh:
        existing = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    message = OutboxMessage(
        idempotency_key=key,
        message_id=message_id_for(key),
        template=template,
        recipient=safe_text(to, 254),
        recipient_name=safe_text(to_name, 120),
        reply_to=safe_text(reply_to, 254) if reply_to else None,
        subject=safe_text(subject, 250),
        context=context or {},
        due_at=due_at or utcnow(),
        enquiry_id=enquiry_id,
        status=PENDING,
    )
    db.session.add(message)
    return message


def to_patient(*, key: str, template: str, to: str, subject: str, **options) -> OutboxMessage:
    """An email to a patient: its subject ends with the clinic's name, so the inbox says who
    wrote. `options` are `enqueue`'s."""
    clinic = current_app.config["CLINIC_NAME"]
    return enqueue(key=key, template=template, to=to, subject=f"{subject} | {clinic}", **options)


def to_clinic(*, key: str, template: str, about: str, subject: str, **options) -> OutboxMessage:
    """An email to the osteopath about a patient (`about`, their address): answering it
    writes to the patient. `options` are `enqueue`'s."""
    return enqueue(key=key, template=template, to=current_app.config["CLINIC_NOTIFY_EMAIL"],
                   reply_to=about, subject=subject, **options)


def cancel_pending(*conditions) -> int:
    """Cancel messages not yet sent that match the conditions; returns how many."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == PENDING, *conditions)
        .values(status=CANCELLED, lease_until=None)
    )
    return result.rowcount


def retry_failed(message_id: int) -> bool:
    """Put a failed message back in the queue, due now; False if it is not (or no longer)
    failed.

    Its attempts start again from nought, so a server that is down for a while longer gets
    the whole back-off again instead of one try. The last error stays until a send succeeds.
    """
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == FAILED)
        .values(
            status=PENDING, due_at=utcnow(), attempts=0, lease_until=None, claimed_by=None
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
