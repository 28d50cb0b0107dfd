"""Sending what is due: claim a batch, send it over one connection, record each outcome.

Claims are atomic and carry a lease. PostgreSQL claims with FOR UPDATE SKIP LOCKED, so
workers running at once take disjoint rows; SQLite runs the same single UPDATE … RETURNING
inside BEGIN IMMEDIATE (see app.database), which serialises claimers. A worker that dies
mid-send leaves its rows "sending"; once the lease has passed another worker takes them.
"""

import json
import os
import smtplib
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import BadHeaderError
from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.models import OutboxMessage
from app.models.outbox import CANCELLED, FAILED, PENDING, SENDING, SENT
from app.timeutil import utcnow

from .render import render_message
from .smtp import open_connection

# Errors that say the connection is unusable: every row still in hand waits for another run.
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)


@dataclass
class DispatchReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}, "
            f"cancelled {self.cancelled}"
        )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def claim_due(now: datetime, worker: str, limit: int) -> list[int]:
    """Take up to `limit` due rows (or rows whose lease has run out) for this worker."""
    config = current_app.config
    due = (
        select(OutboxMessage.id)
        .where(
            or_(
                and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now),
                and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now),
            )
        )
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claim = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(
            status=SENDING,
            claimed_by=worker,
            lease_until=now + timedelta(seconds=config["OUTBOX_LEASE_SECONDS"]),
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # the claim must be a transaction of its own
    ids = list(db.session.execute(claim).scalars())
    db.session.commit()
    return sorted(ids)


def send_due(now: datetime | None = None) -> DispatchReport:
    """Send every due message, batch by batch, and stop at the first connection failure.

    `now` fixes the clock (for `--now`); otherwise each batch reads the real time.
    """
    report = DispatchReport()
    worker = worker_name()
    batch_size = current_app.config["OUTBOX_BATCH_SIZE"]
    while True:
        moment = now or utcnow()
        ids = claim_due(moment, worker, batch_size)
        if not ids:
            break
        if not _send_batch(ids, moment, worker, report):
            break
    return report


def _send_batch(ids: list[int], now: datetime, worker: str, report: DispatchReport) -> bool:
    """Send one claimed batch; False when the server could not be reached or went away."""
    rows = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).scalars().all()
    # Detached, the rows keep their loaded values through the commits recorded per message.
    for row in rows:
        db.session.expunge(row)
    # No transaction stays open while the mail server is waited on: on SQLite every
    # transaction holds the write lock (BEGIN IMMEDIATE), which would stop web requests too.
    db.session.commit()
    try:
        connection = open_connection().__enter__()
    except (smtplib.SMTPException, OSError) as error:
        for row in rows:
            _record_failure(row, now, worker, f"connecting: {error!r}", report)
        return False
    renew_every = current_app.config["OUTBOX_LEASE_SECONDS"] / 3
    renewed_at, held = None, set()
    try:
        for index, row in enumerate(rows):
            # A slow server can make a batch outlast its lease; renewing well before it runs
            # out, and sending only what is still held, means no row is ever sent by two
            # workers: one whose lease lapsed finds its rows gone and leaves them.
            if renewed_at is None or time.monotonic() - renewed_at >= renew_every:
                held = _renew_lease([r.id for r in rows[index:]], now, worker)
                renewed_at = time.monotonic()
            if row.id not in held:
                continue
            try:
                _send_one(connection, row, now, worker, report)
            except CONNECTION_ERRORS as error:
                for waiting in rows[index:]:
                    _record_failure(waiting, now, worker, f"connection lost: {error!r}", report)
                return False
    finally:
        connection.__exit__(None, None, None)
    return True


def _renew_lease(ids: list[int], now: datetime, worker: str) -> set[int]:
    """Extend this worker's lease on these rows; the ids it still holds."""
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    held = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.status == SENDING,
            OutboxMessage.claimed_by == worker,
        )
        .values(lease_until=max(now, utcnow()) + lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    db.session.commit()
    return set(held)


def _send_one(connection, row: OutboxMessage, now: datetime, worker: str, report) -> None:
    try:
        message = render_message(row)
        db.session.commit()  # end the render's reads before sending, as in _send_batch
    except Exception as error:
        # A message that cannot be rendered must not stop the others; it is retried and, after
        # the last attempt, shown as failed like any other.
        db.session.rollback()
        current_app.logger.exception("outbox message %s could not be rendered", row.id)
        _record_failure(row, now, worker, f"could not render: {error!r}", report)
        return
    if message is None:
        if _finish(row, worker, status=CANCELLED, last_error="nothing left to send about"):
            report.cancelled += 1
        return
    try:
        connection.send(message)
    except smtplib.SMTPRecipientsRefused as error:
        refused = {addr: [code, _text(reply)] for addr, (code, reply) in error.recipients.items()}
        row.refused_recipients = json.dumps(refused)
        permanent = all(code >= 500 for code, _ in refused.values())
        _record_failure(row, now, worker, f"recipient refused: {refused}", report, permanent)
        return
    except (smtplib.SMTPResponseException, smtplib.SMTPSenderRefused) as error:
        permanent = getattr(error, "smtp_code", 0) >= 500
        _record_failure(row, now, worker, f"server refused: {error!r}", report, permanent)
        return
    except BadHeaderError as error:
        _record_failure(row, now, worker, f"bad header: {error!r}", report, permanent=True)
        return
    except smtplib.SMTPException as error:
        if isinstance(error, CONNECTION_ERRORS):
            raise
        _record_failure(row, now, worker, f"mail server: {error!r}", report)
        return
    if _finish(row, worker, status=SENT, sent_at=now, last_error=None):
        report.sent += 1


def _record_failure(row, now, worker, error: str, report, permanent: bool = False) -> None:
    config = current_app.config
    if permanent or row.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        if _finish(row, worker, status=FAILED, last_error=error[:2000]):
            report.failed += 1
    else:
        delay = min(
            config["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** max(row.attempts - 1, 0),
            config["OUTBOX_RETRY_MAX_SECONDS"],
        )
        if _finish(
            row, worker, status=PENDING, due_at=now + timedelta(seconds=delay),
            last_error=error[:2000],
        ):
            report.retrying += 1
    report.errors.append(error)


def _finish(row: OutboxMessage, worker: str, **values) -> bool:
    """Record an outcome, but only while this worker still holds the claim; False when it no
    longer does (its lease ran out and another worker took the row)."""
    values.update(lease_until=None, refused_recipients=row.refused_recipients)
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row.id,
            OutboxMessage.status == SENDING,
            OutboxMessage.claimed_by == worker,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
