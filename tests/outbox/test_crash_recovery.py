"""A worker killed or stuck mid-send loses nothing and repeats nothing: once its lease runs out
another worker sends its rows, as the same emails, and the late worker cannot undo that."""

import os
import signal
from collections import Counter
from datetime import timedelta

import pytest

from app.outbox.dispatch import DispatchReport
from app.outbox.service import message_id_for

from ..support.outbox import BEFORE_START, START, at, enqueue_messages, outbox_rows, send_due
from ..support.processes import (
    HANG_GUARD_SECONDS,
    finish,
    flask_env,
    started_send_due,
    wait_until,
)

pytestmark = BEFORE_START

LEASE = timedelta(seconds=300)
BASE = timedelta(seconds=60)


def worker_stuck_on(server, database_url: str, now):
    """A send-due process whose mail server never answers; it waits longer than any test."""
    env = flask_env(
        database_url,
        server.port,
        MAIL_TIMEOUT=HANG_GUARD_SECONDS,
        OUTBOX_LEASE_SECONDS=int(LEASE.total_seconds()),
        OUTBOX_RETRY_BASE_SECONDS=int(BASE.total_seconds()),
    )
    return started_send_due(env, at(now))


def wait_until_mid_send(worker, server, keys: list[str]) -> None:
    """Until the worker holds every row and its connection is waiting on the mail server."""
    wait_until(
        lambda: server.connections == 1
        and all(
            row.status == "sending" and row.claimed_by.endswith(f":{worker.pid}")
            for row in outbox_rows(keys)
        ),
        f"worker {worker.pid} to claim the due rows and connect",
        worker,
    )


@pytest.mark.slow
def test_rows_of_a_killed_worker_are_sent_after_its_lease_with_the_same_message_ids(
    app, runner, smtp, database_url, silent_server
):
    """SIGKILL mid-send leaves the rows "sending" under the dead worker's lease; nobody takes
    them while it lasts, and after it the next run sends each once, with the same Message-ID."""
    keys = enqueue_messages([f"patient-{n}@example.org" for n in range(3)], due_at=START)
    with worker_stuck_on(silent_server, database_url, START) as worker:
        wait_until_mid_send(worker, silent_server, keys)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=HANG_GUARD_SECONDS)
    assert worker.returncode == -signal.SIGKILL

    orphaned = outbox_rows(keys)
    for row in orphaned:
        assert (row.status, row.attempts, row.lease_until) == ("sending", 1, START + LEASE)

    # The lease is the dead worker's until it has passed, even with a working server.
    assert send_due(runner, at(START + LEASE)).strip() == str(DispatchReport())
    assert [row.status for row in outbox_rows(keys)] == ["sending"] * 3

    later = START + LEASE + timedelta(seconds=1)
    assert send_due(runner, at(later)).strip() == str(DispatchReport(sent=3))
    recovered = outbox_rows(keys)
    for before, after in zip(orphaned, recovered, strict=True):
        assert (after.status, after.attempts, after.sent_at) == ("sent", 2, later)
        assert after.claimed_by != before.claimed_by
        assert after.message_id == before.message_id == message_id_for(before.idempotency_key)
    arrived = Counter(message["Message-ID"] for message in smtp.messages)
    assert arrived == Counter(row.message_id for row in orphaned)


@pytest.mark.slow
def test_a_worker_that_outlived_its_lease_cannot_undo_its_successors_sending(
    app, runner, smtp, database_url, silent_server
):
    """A worker stuck past its lease finds its rows already sent by the worker that took over:
    the failure it then records does not land on them, so nothing is queued to go twice."""
    keys = enqueue_messages([f"patient-{n}@example.org" for n in range(3)], due_at=START)
    later = START + LEASE + timedelta(seconds=1)
    with worker_stuck_on(silent_server, database_url, START) as stuck:
        wait_until_mid_send(stuck, silent_server, keys)
        assert send_due(runner, at(later)).strip() == str(DispatchReport(sent=3))
        # The silent server hangs up now, so the stuck worker fails its batch and records it.
        assert silent_server.stop() == 1
        _, stderr = finish(stuck)
    assert stuck.returncode == 0, stderr

    rows = outbox_rows(keys)
    outcomes = [(row.status, row.sent_at, row.last_error) for row in rows]
    assert outcomes == [("sent", later, None)] * 3
    assert send_due(runner, at(START + timedelta(days=1))).strip() == str(DispatchReport())
    assert len(smtp.messages) == 3


@pytest.mark.slow
def test_a_worker_that_outlived_its_lease_cannot_release_rows_another_worker_holds(
    app, runner, smtp, database_url, silent_server, second_silent_server
):
    """Worker A, stuck past its lease, fails while worker B holds the same rows mid-send: A's
    failure is not recorded, so the rows stay B's and are not offered to a third worker. B's
    own failure is then recorded, and the rows are sent once after B's back-off."""
    keys = enqueue_messages([f"patient-{n}@example.org" for n in range(3)], due_at=START)
    b_claimed_at = START + LEASE + timedelta(seconds=1)
    with worker_stuck_on(silent_server, database_url, START) as a:
        wait_until_mid_send(a, silent_server, keys)
        with worker_stuck_on(second_silent_server, database_url, b_claimed_at) as b:
            wait_until_mid_send(b, second_silent_server, keys)
            silent_server.stop()
            _, stderr = finish(a)
            assert a.returncode == 0, stderr
            for row in outbox_rows(keys):
                assert (row.status, row.attempts, row.last_error) == ("sending", 2, None)
                assert row.claimed_by.endswith(f":{b.pid}")
                assert row.lease_until == b_claimed_at + LEASE

            second_silent_server.stop()
            _, stderr = finish(b)
            assert b.returncode == 0, stderr

    b_back_off = 2 * BASE  # the second attempt's
    for row in outbox_rows(keys):
        assert (row.status, row.due_at) == ("pending", b_claimed_at + b_back_off)
        assert row.last_error.startswith("connecting:")
    assert send_due(runner, at(b_claimed_at + b_back_off)).strip() == str(DispatchReport(sent=3))
    assert send_due(runner, at(START + timedelta(days=1))).strip() == str(DispatchReport())
    assert len(smtp.messages) == 3
