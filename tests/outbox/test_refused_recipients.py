"""A recipient the server refuses for good is recorded and failed; the batch carries on."""

import json
from datetime import timedelta

from app.outbox.dispatch import DispatchReport

from ..support.outbox import BEFORE_START, START, at, enqueue_messages, outbox_rows, send_due

pytestmark = BEFORE_START


def test_a_refused_recipient_fails_its_row_and_the_rest_of_the_batch_is_sent(runner, smtp):
    """The refusal (550) is kept on the row; messages either side of it in the batch go out."""
    keys = enqueue_messages(
        ["first@example.org", "refuse-me@example.org", "last@example.org"], due_at=START
    )

    assert send_due(runner, at(START)).strip() == str(DispatchReport(sent=2, failed=1))

    first, refused, last = outbox_rows(keys)
    assert (refused.status, refused.attempts, refused.sent_at) == ("failed", 1, None)
    assert json.loads(refused.refused_recipients) == {
        "refuse-me@example.org": [550, "5.1.1 No such mailbox here"]
    }
    assert refused.last_error.startswith("recipient refused:")
    assert (first.status, last.status) == ("sent", "sent")
    envelopes = [item.rcpt_tos for item in smtp.received]
    assert envelopes == [["first@example.org"], ["last@example.org"]]

    # A permanent refusal is not retried, however long the outbox runs.
    send_due(runner, at(START + timedelta(days=30)))
    assert [row.status for row in outbox_rows(keys)] == ["sent", "failed", "sent"]
    assert len(smtp.received) == 2
