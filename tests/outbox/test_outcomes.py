"""Outcomes are written a few at a time: only for rows still held, counted once committed, and
a worker killed before writing them sends again at most the few the server had taken."""

import os
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.models import OutboxMessage
from app.outbox import batch, dispatch
from app.outbox.batch import GROUP
from app.outbox.dispatch import DispatchReport, claim_due
from app.outbox.outcomes import Outcomes

from ..support.outbox import (
    BEFORE_START,
    START,
    app_with_mail_at,
    at,
    enqueue_messages,
    outbox_rows,
    send_due,
    statements,
)
from ..support.processes import HANG_GUARD_SECONDS, finish, flask_env, started_send_due, wait_until
from ..support.smtp import CutOffSMTPServer

pytestmark = BEFORE_START

LEASE = timedelta(seconds=300)


@pytest.fixture
def cut_off_server(request):
    accept, hang_up = request.param
    server = CutOffSMTPServer(accept=accept, hang_up=hang_up)
    server.start()
    yield server
    server.stop()


def test_alike_outcomes_go_in_one_statement_and_count_only_once_committed(app, db):
    keys = enqueue_messages(["a@example.org", "b@example.org", "c@example.org"], due_at=START)
    claim_due(START, "this-worker", 10)
    # The third row's lease ran out and another worker has it now.
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.idempotency_key == keys[2])
        .values(claimed_by="next-worker")
    )
    db.session.commit()
    report = DispatchReport()
    outcomes = Outcomes(START, "this-worker", report)
    for row in outbox_rows(keys):
        outcomes.sent(row)

    with statements(db.engine, "UPDATE") as updates:
        outcomes.write()
    db.session.rollback()  # the transaction that wrote them did not commit
    assert len(updates) == 1
    assert report.sent == 0
    assert [row.status for row in outbox_rows(keys)] == ["sending"] * 3

    outcomes.commit()  # written again, and now counted
    assert report.sent == 2
    rows = outbox_rows(keys)
    assert [(row.status, row.claimed_by) for row in rows] == [
        ("sent", "this-worker"), ("sent", "this-worker"), ("sending", "next-worker")
    ]
    assert [row.sent_at for row in rows[:2]] == [START, START]


@pytest.mark.parametrize("cut_off_server", [(5, True)], indirect=True)
def test_a_server_that_hangs_up_mid_batch_loses_nothing_and_repeats_nothing(
    app, runner, smtp, database_url, cut_off_server
):
    """It takes five messages and hangs up at the sixth: those five are sent, the rest wait
    out their back-off, and then each goes once."""
    keys = enqueue_messages([f"patient-{n}@example.org" for n in range(20)], due_at=START)
    settings = {"OUTBOX_RETRY_BASE_SECONDS": 60}
    with app_with_mail_at(database_url, cut_off_server.port, **settings) as cut_off:
        output = send_due(cut_off.test_cli_runner(), at(START))
    assert output.strip() == str(DispatchReport(sent=5, retrying=15))
    rows = outbox_rows(keys)
    assert [row.status for row in rows] == ["sent"] * 5 + ["pending"] * 15
    for row in rows[5:]:
        assert row.last_error.startswith("connection lost:")
        assert row.due_at == START + timedelta(seconds=60)

    assert send_due(runner, at(START + timedelta(seconds=60))).strip() == str(
        DispatchReport(sent=15)
    )
    arrived = Counter(m["Message-ID"] for m in cut_off_server.messages + smtp.messages)
    assert arrived == Counter(row.message_id for row in rows)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cut_off_server", "kill_after"),
    [((12, False), 12), ((10**6, False), 40)],
    ids=["server-stops-answering", "mid-flow"],
    indirect=["cut_off_server"],
)
def test_a_worker_killed_mid_batch_sends_again_only_what_it_had_not_written(
    app, runner, smtp, database_url, cut_off_server, kill_after
):
    """The worker is killed once the server has taken `kill_after` messages (the first server
    then never answers again; the second is still taking them as fast as they come). A worker
    killed mid-send can send again at most the messages of its last two groups, up to
    2 × GROUP, each with its original Message-ID, and each at most once more: those it had
    taken but not written (one group's answers wait to be written while the next is rendered
    and sent) go again after the lease, and every other message goes once."""
    total = 400
    keys = enqueue_messages([f"patient-{n}@example.org" for n in range(total)], due_at=START)
    env = flask_env(database_url, cut_off_server.port, MAIL_TIMEOUT=HANG_GUARD_SECONDS,
                    OUTBOX_LEASE_SECONDS=int(LEASE.total_seconds()))
    with started_send_due(env, at(START)) as worker:
        wait_until(lambda: len(cut_off_server.received) >= kill_after,
                   f"the server to take {kill_after} messages", worker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=HANG_GUARD_SECONDS)

    taken = {message["Message-ID"] for message in cut_off_server.messages}
    assert kill_after <= len(taken) < total
    written = {row.message_id for row in outbox_rows(keys) if row.status == "sent"}
    assert written <= taken
    unwritten = taken - written
    assert len(unwritten) <= 2 * GROUP

    later = START + LEASE + timedelta(seconds=1)
    assert send_due(runner, at(later)).strip() == str(DispatchReport(sent=total - len(written)))
    rows = outbox_rows(keys)
    assert [row.status for row in rows] == ["sent"] * total
    arrived = Counter(m["Message-ID"] for m in cut_off_server.messages + smtp.messages)
    assert set(arrived) == {row.message_id for row in rows}
    assert {message_id for message_id, times in arrived.items() if times > 1} == unwritten
    assert max(arrived.values()) <= 2


@pytest.mark.slow
@pytest.mark.parametrize("cut_off_server", [(1, False)], indirect=True)
def test_a_worker_waiting_on_a_slow_server_keeps_its_lease_so_nobody_else_sends(
    app, runner, smtp, database_url, cut_off_server
):
    """The server holds the second message for longer than the whole lease (three seconds).
    The worker renews its lease while it waits, so another worker running meanwhile takes
    nothing; once the server answers, the first worker sends the rest, each message once."""
    keys = enqueue_messages([f"patient-{n}@example.org" for n in range(5)])
    env = flask_env(database_url, cut_off_server.port, MAIL_TIMEOUT=HANG_GUARD_SECONDS,
                    OUTBOX_LEASE_SECONDS=3)
    with started_send_due(env) as worker:
        wait_until(cut_off_server.cut_off.is_set, "the server to hold a message", worker)
        time.sleep(4)  # longer than the lease: only its renewal keeps the rows
        with app_with_mail_at(database_url, smtp.port, OUTBOX_LEASE_SECONDS=3) as other:
            assert send_due(other.test_cli_runner()).strip() == str(DispatchReport())
        cut_off_server.release.set()
        stdout, stderr = finish(worker)
    assert worker.returncode == 0, stderr
    assert stdout.strip() == str(DispatchReport(sent=5))
    assert smtp.messages == []
    rows = outbox_rows(keys)
    assert [row.status for row in rows] == ["sent"] * 5
    assert Counter(m["Message-ID"] for m in cut_off_server.messages) == Counter(
        row.message_id for row in rows
    )


def test_an_unexpected_error_mid_batch_keeps_the_outcomes_in_hand(app, db, smtp, monkeypatch):
    """What the server took before the error is recorded as sent, so it is not sent again
    when the lease runs out; the rest waits, claimed, for the lease to pass."""
    keys = enqueue_messages([f"p{i}@example.org" for i in range(GROUP + 3)], due_at=START)
    groups = []

    def second_group_fails(rows):
        groups.append(rows)
        if len(groups) == 2:
            raise RuntimeError("something nobody planned for")
        return []

    monkeypatch.setattr(batch, "preload", second_group_fails)
    with pytest.raises(RuntimeError):
        dispatch.send_due(START)
    db.session.expire_all()
    statuses = Counter(row.status for row in outbox_rows(keys))
    assert statuses == {"sent": GROUP, "sending": 3}
    assert len(smtp.messages) == GROUP
