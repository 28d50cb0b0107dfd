"""Sending what is due: claim a batch, send it over one connection, record each outcome.

Claims are atomic and carry a lease. PostgreSQL claims with FOR UPDATE SKIP LOCKED, so
workers running at once take disjoint rows; SQLite runs the same single UPDATE … RETURNING
inside BEGIN IMMEDIATE (see app.database), which serialises claimers. A worker that dies
mid-send leaves its rows "sending"; once the lease has passed another worker takes them.
"""

import os
import smtplib
import socket
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.models import OutboxMessage
from app.models.outbox import PENDING, SENDING
from app.timeutil import utcnow

from .batch import Batch
from .outcomes import DispatchReport, Outcomes
from .smtp import Sender, open_connection

__all__ = ["DispatchReport", "claim_due", "send_due", "worker_name"]


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
    # Detached, the rows keep their loaded values through the commits made while sending.
    for row in rows:
        db.session.expunge(row)
    # No transaction stays open while the mail server is waited on: on SQLite every
    # transaction holds the write lock (BEGIN IMMEDIATE), which would stop web requests too.
    db.session.commit()
    outcomes = Outcomes(now, worker, report)
    try:
        connection = open_connection().__enter__()
    except (smtplib.SMTPException, OSError) as error:
        for row in rows:
            outcomes.failed(row, f"connecting: {error!r}")
        outcomes.commit()
        return False
    sender = Sender(connection)
    try:
        return Batch(rows, outcomes, sender).send()
    except Exception:
        _keep_outcomes(outcomes)
        raise
    finally:
        sender.close()
        connection.__exit__(None, None, None)


def _keep_outcomes(outcomes: Outcomes) -> None:
    """On an unexpected error, write the outcomes already in hand before giving up, so that
    what the server took is not sent again when the lease runs out. Best effort: the error
    may be the database's own."""
    try:
        db.session.rollback()
        outcomes.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("outbox outcomes in hand could not be written")
