"""One claimed batch going out: rendering overlapped with the server's work.

The sender's thread gives the server one message at a time while the worker renders the
next. Each transaction the worker opens renders a group of messages, handing each to the
sender as soon as it is rendered, and writes the outcomes the server has given meanwhile;
then the worker waits, outside any transaction, for the server to finish the group. No
transaction is open for longer than rendering takes, whatever the server does.
"""

import time
from collections import deque
from datetime import timedelta

from flask import current_app

from app.addresses import UnsendableAddress
from app.extensions import db
from app.models import OutboxMessage
from app.timeutil import utcnow

from .headers import HeaderRefused
from .outcomes import Outcomes, connection_lost, update_held
from .registry import preload
from .render import Outgoing, render_outgoing
from .smtp import WITHDRAWN, Sender

# How many messages are rendered in one transaction, each handed to the server as soon as it
# is rendered. It bounds how long before its sending a message is rendered from what it is
# about, and how many messages the server may have taken whose outcome is not yet written:
# one group's answers are written with the next group's transaction, while that group is
# already going out, so at most two groups.
GROUP = 8
# How long the worker waits on the server before writing the outcomes it has in hand.
PATIENCE_SECONDS = 0.01


class Batch:
    """The rows of one claim, sent over one connection, a group at a time."""

    def __init__(self, rows: list[OutboxMessage], outcomes: Outcomes, sender: Sender) -> None:
        self.unrendered = deque(rows)
        self.outcomes, self.sender = outcomes, sender
        self.in_flight: dict[int, OutboxMessage] = {}
        self.renew_every = current_app.config["OUTBOX_LEASE_SECONDS"] / 3
        self.renewed_at: float | None = None
        self.held: set[int] = set()

    def send(self) -> bool:
        """False once the connection is lost, with every row not yet sent put back."""
        while self.unrendered:
            self._keep_lease()
            if not self._render_group() or not self._take_answers(wait=True):
                return False
        self.outcomes.commit()
        return True

    def _keep_lease(self) -> None:
        # A slow server can make a batch outlast its lease; renewing well before it runs out
        # (also while waiting on the server), and sending only what is still held, means no
        # row is ever sent by two workers: one whose lease lapsed finds its rows gone and
        # leaves them, even those already handed to the sender.
        if self._until_renewal() > 0:
            return
        in_hand = [*self.in_flight, *(row.id for row in self.unrendered)]
        self.held = renew_lease(in_hand, self.outcomes)
        self.renewed_at = time.monotonic()
        self.sender.withdraw(set(self.in_flight) - self.held)

    def _until_renewal(self) -> float:
        if self.renewed_at is None:
            return 0
        return self.renewed_at + self.renew_every - time.monotonic()

    def _render_group(self) -> bool:
        """One transaction: render the next group, handing each message to the sender at once,
        and write the outcomes in hand at the end."""
        group = []
        while self.unrendered and len(group) < GROUP:
            row = self.unrendered.popleft()
            if row.id in self.held:
                group.append(row)
        loaded = preload(group)  # noqa: F841  (held in the session until the commit)
        for row in group:
            outgoing = self._render(row)
            if outgoing is not None:
                self.in_flight[row.id] = row
                self.sender.submit(row.id, outgoing)
        if not self._take_answers(wait=False):
            return False
        self.outcomes.commit()
        return True

    def _take_answers(self, wait: bool) -> bool:
        """Record the server's answers: those in already, or (`wait`) all. Outcomes in hand are
        written before the worker waits on a slow server."""
        while self.in_flight:
            answer = self.sender.answer(timeout=PATIENCE_SECONDS if wait else 0)
            if answer is None and wait:
                self.outcomes.commit()
                while (answer := self.sender.answer(max(self._until_renewal(), 0.1))) is None:
                    self._keep_lease()
            if answer is None:
                break
            key, error = answer
            row = self.in_flight.pop(key)
            if error is WITHDRAWN:
                continue
            if error is None:
                self.outcomes.sent(row)
            elif connection_lost(error):
                self._put_back(row, error)
                return False
            else:
                self.outcomes.send_failed(row, error)
        return True

    def _put_back(self, row: OutboxMessage, error: Exception) -> None:
        self.outcomes.failed(row, f"connection lost: {error!r}")
        while self.in_flight:  # the sender answers these at once, sending nothing more
            key, _ = self.sender.answer(timeout=None)
            self.outcomes.failed(self.in_flight.pop(key), f"connection lost: {error!r}")
        for unsent in self.unrendered:
            self.outcomes.failed(unsent, f"connection lost: {error!r}")
        self.outcomes.commit()

    def _render(self, row: OutboxMessage) -> Outgoing | None:
        try:
            outgoing = render_outgoing(row)
        except (HeaderRefused, UnsendableAddress) as error:
            # Sending it again would write the same: it fails for good, saying why.
            db.session.rollback()
            kind = "bad header" if isinstance(error, HeaderRefused) else "bad address"
            self.outcomes.failed(row, f"{kind}: {error}", permanent=True)
            return None
        except Exception as error:
            # A message that cannot be rendered must not stop the others; it is retried and,
            # after the last attempt, shown as failed like any other.
            db.session.rollback()
            current_app.logger.exception("outbox message %s could not be rendered", row.id)
            self.outcomes.failed(row, f"could not render: {error!r}")
            return None
        if outgoing is None:
            self.outcomes.cancelled(row)
        return outgoing


def renew_lease(ids: list[int], outcomes: Outcomes) -> set[int]:
    """Extend this worker's lease on these rows; the ids it still holds."""
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    held = update_held(ids, outcomes.worker, lease_until=max(outcomes.now, utcnow()) + lease)
    db.session.commit()
    return held
