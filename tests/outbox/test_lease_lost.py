"""A worker whose lease ran out while it was busy sends nothing it no longer holds."""

from datetime import timedelta

from app.outbox.dispatch import DispatchReport, _send_batch, claim_due

from ..support.outbox import BEFORE_START, START, enqueue_messages, outbox_rows

pytestmark = BEFORE_START


def test_rows_taken_over_after_the_lease_are_left_to_their_new_worker(app, smtp):
    keys = enqueue_messages(["a@example.org", "b@example.org"], due_at=START)
    ids = claim_due(START, "slow-worker", 10)
    # The slow worker's lease runs out and another worker claims the same rows.
    later = START + timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)
    assert claim_due(later, "next-worker", 10) == ids

    report = DispatchReport()
    assert _send_batch(ids, START, "slow-worker", report) is True
    assert smtp.messages == []
    assert (report.sent, report.retrying, report.failed) == (0, 0, 0)
    assert {(row.status, row.claimed_by) for row in outbox_rows(keys)} == {
        ("sending", "next-worker")
    }


def test_a_worker_keeps_its_lease_while_it_sends(app, smtp):
    keys = enqueue_messages(["a@example.org"], due_at=START)
    ids = claim_due(START, "worker", 10)
    report = DispatchReport()
    _send_batch(ids, START, "worker", report)
    assert report.sent == 1 and len(smtp.messages) == 1
    assert outbox_rows(keys)[0].status == "sent"
