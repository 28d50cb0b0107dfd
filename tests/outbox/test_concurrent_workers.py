"""Workers running at once on PostgreSQL take disjoint batches: every message goes exactly once."""

import re
from collections import Counter
from contextlib import ExitStack

import pytest

from ..support.mailservers import GatedSMTPServer
from ..support.outbox import BEFORE_START, START, at, enqueue_messages, outbox_rows
from ..support.processes import HANG_GUARD_SECONDS, finish, flask_env, started_send_due

pytestmark = BEFORE_START

WORKERS = 4
MESSAGES = 300


@pytest.fixture
def gated_smtp():
    server = GatedSMTPServer(quorum=WORKERS)
    server.start()
    yield server
    server.stop()


@pytest.mark.postgres
@pytest.mark.slow
def test_workers_started_together_send_each_message_exactly_once(
    app, database_url, gated_smtp
):
    """Four send-due processes over 300 due messages, batches of 10: each Message-ID arrives
    once, every row is sent on its first claim, and all four workers really overlapped."""
    keys = enqueue_messages([f"patient-{n}@example.org" for n in range(MESSAGES)], due_at=START)
    env = flask_env(
        database_url, gated_smtp.port, OUTBOX_BATCH_SIZE=10, MAIL_TIMEOUT=HANG_GUARD_SECONDS
    )

    with ExitStack() as stack:
        workers = [stack.enter_context(started_send_due(env, at(START))) for _ in range(WORKERS)]
        outputs = [finish(worker) for worker in workers]

    assert [worker.returncode for worker in workers] == [0] * WORKERS, outputs
    # The server let no message through until all four held a claimed batch at once.
    assert gated_smtp.gate.reached, "the workers never ran at the same time"
    reported = [int(re.search(r"sent (\d+)", stdout)[1]) for stdout, _ in outputs]
    assert sum(reported) == MESSAGES
    rows = outbox_rows(keys)
    assert Counter((row.status, row.attempts) for row in rows) == {("sent", 1): MESSAGES}
    assert len({row.claimed_by for row in rows}) == WORKERS
    arrived = Counter(message["Message-ID"] for message in gated_smtp.messages)
    assert arrived == Counter(row.message_id for row in rows)
