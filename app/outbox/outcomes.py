"""What became of each message, written only while this worker still holds the row.

An outcome is not written in a transaction of its own: it waits for the next one the batch
opens anyway (the one that renders the next message), and is counted in the report only once
that has committed. If that transaction rolls back, the outcome is written again in the next.
"""

import json
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from app.extensions import db
from app.models import OutboxMessage
from app.models.outbox import CANCELLED, FAILED, PENDING, SENDING, SENT


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


@dataclass
class _Outcome:
    row: OutboxMessage
    counter: str  # the report's field it adds to once written
    values: dict
    written: bool = False


class Outcomes:
    """The outcomes of one batch's messages, waiting to be written."""

    def __init__(self, now: datetime, worker: str, report: DispatchReport) -> None:
        self.now, self.worker, self.report = now, worker, report
        self._waiting: list[_Outcome] = []

    def sent(self, row: OutboxMessage) -> None:
        self._add(row, "sent", status=SENT, sent_at=self.now, last_error=None)

    def cancelled(self, row: OutboxMessage) -> None:
        self._add(row, "cancelled", status=CANCELLED, last_error="nothing left to send about")

    def failed(self, row: OutboxMessage, error: str, permanent: bool = False) -> None:
        """A failure: retried after a back-off, or final when permanent or out of attempts."""
        config = current_app.config
        self.report.errors.append(error)
        if permanent or row.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
            self._add(row, "failed", status=FAILED, last_error=error[:2000])
            return
        delay = min(
            config["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** max(row.attempts - 1, 0),
            config["OUTBOX_RETRY_MAX_SECONDS"],
        )
        self._add(
            row, "retrying", status=PENDING, due_at=self.now + timedelta(seconds=delay),
            last_error=error[:2000],
        )

    def send_failed(self, row: OutboxMessage, error: Exception) -> None:
        """Record what the server said about one message; connection errors are not for here."""
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            refused = {a: [code, _text(reply)] for a, (code, reply) in error.recipients.items()}
            row.refused_recipients = json.dumps(refused)
            permanent = all(code >= 500 for code, _ in refused.values())
            self.failed(row, f"recipient refused: {refused}", permanent)
        elif isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPSenderRefused):
            permanent = getattr(error, "smtp_code", 0) >= 500
            self.failed(row, f"server refused: {error!r}", permanent)
        elif isinstance(error, smtplib.SMTPException):
            self.failed(row, f"mail server: {error!r}")
        else:
            raise error

    def _add(self, row: OutboxMessage, counter: str, **values) -> None:
        values.update(lease_until=None, refused_recipients=row.refused_recipients)
        self._waiting.append(_Outcome(row, counter, values))

    def write(self) -> None:
        """Write the waiting outcomes in the current transaction; the caller commits.

        Outcomes with the same values (most often: sent, at the same moment) go in one
        statement.
        """
        alike: dict[tuple, list[_Outcome]] = {}
        for outcome in self._waiting:
            alike.setdefault(tuple(outcome.values.items()), []).append(outcome)
        for values, outcomes in alike.items():
            written = update_held(
                [outcome.row.id for outcome in outcomes], self.worker, **dict(values)
            )
            # Not written when the lease ran out and another worker took the row.
            for outcome in outcomes:
                outcome.written = outcome.row.id in written

    def committed(self) -> None:
        """The transaction that wrote them has committed: count them."""
        for outcome in self._waiting:
            if outcome.written:
                setattr(self.report, outcome.counter, getattr(self.report, outcome.counter) + 1)
        self._waiting.clear()

    def commit(self) -> None:
        """Write the waiting outcomes in a transaction of their own."""
        self.write()
        db.session.commit()
        self.committed()


def update_held(ids: list[int], worker: str, **values) -> set[int]:
    """Set `values` on those of these rows this worker still holds (claimed by it, and not
    taken by another since its lease ran out); the ids it still holds. The caller commits."""
    return set(
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.status == SENDING,
                OutboxMessage.claimed_by == worker,
            )
            .values(**values)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )


def connection_lost(error: Exception) -> bool:
    """Whether the error says the connection is unusable, so that every row still in hand
    waits for another run. (Every SMTP error is an OSError too; most are about one message.)"""
    if isinstance(error, smtplib.SMTPException):
        return isinstance(error, smtplib.SMTPServerDisconnected)
    return isinstance(error, OSError)


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
