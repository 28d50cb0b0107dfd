"""A mail server that accepts the connection and then says nothing costs one timeout."""

from datetime import timedelta

import pytest

from app.outbox.dispatch import DispatchReport

from ..support.outbox import BEFORE_START, START, at, enqueue_messages, outbox_rows
from ..support.processes import flask_env, run_send_due

pytestmark = BEFORE_START


@pytest.mark.slow
def test_a_silent_server_costs_one_timeout_not_a_stuck_worker(app, database_url, silent_server):
    """send-due returns after one MAIL_TIMEOUT, having connected once for five due messages.

    Its first batch goes back to pending with the error and a back-off; the rest of the queue
    is left untouched for the next run instead of paying a timeout per batch.
    """
    keys = enqueue_messages([f"patient-{n}@example.org" for n in range(5)], due_at=START)
    env = flask_env(
        database_url,
        silent_server.port,
        MAIL_TIMEOUT=1,
        OUTBOX_BATCH_SIZE=2,
        OUTBOX_RETRY_BASE_SECONDS=60,
    )

    result = run_send_due(env, at(START))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(DispatchReport(retrying=2))
    assert silent_server.stop() == 1
    rows = outbox_rows(keys)
    claimed, untouched = rows[:2], rows[2:]
    for row in claimed:
        assert (row.status, row.attempts, row.lease_until) == ("pending", 1, None)
        assert row.due_at == START + timedelta(seconds=60)
        assert row.last_error.startswith("connecting:")
        assert "timed out" in row.last_error
    for row in untouched:
        assert (row.status, row.attempts, row.last_error, row.due_at) == ("pending", 0, None, START)
