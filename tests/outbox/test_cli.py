"""`--now` is read the way an operator means it, and a mistyped one stops before doing anything."""

from datetime import UTC, datetime

import pytest

from app.outbox.dispatch import DispatchReport

from ..support.outbox import at, enqueue_messages, outbox_rows, send_due
from ..support.processes import flask_env, run_send_due

LONG_AGO = datetime(2029, 12, 1, tzinfo=UTC)


@pytest.mark.slow
def test_a_now_that_is_not_a_time_is_a_usage_error_and_nothing_is_touched(
    app, smtp, database_url
):
    """The real command exits 2 with a message naming --now, no traceback, and claims nothing."""
    keys = enqueue_messages(["sam@example.org"], due_at=LONG_AGO)

    result = run_send_due(flask_env(database_url, smtp.port), "not-a-time")

    assert result.returncode == 2
    assert result.stderr.startswith("Usage: flask outbox send-due")
    assert "Error: Invalid value for --now" in result.stderr
    assert "not-a-time" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    [row] = outbox_rows(keys)
    assert (row.status, row.attempts) == ("pending", 0)
    assert smtp.received == []


@pytest.mark.parametrize(
    ("now", "moment"),
    [
        # Without an offset it is the clinic's wall clock: GMT in winter, BST in summer.
        ("2030-01-07T09:00", datetime(2030, 1, 7, 9, 0, tzinfo=UTC)),
        ("2030-07-01T09:00", datetime(2030, 7, 1, 8, 0, tzinfo=UTC)),
        # With one it is exactly the moment given.
        ("2030-07-01T09:00+02:00", datetime(2030, 7, 1, 7, 0, tzinfo=UTC)),
        ("2030-01-07T09:00Z", datetime(2030, 1, 7, 9, 0, tzinfo=UTC)),
    ],
    ids=["naive-winter", "naive-summer", "offset", "utc"],
)
def test_now_is_clinic_time_without_an_offset_and_as_given_with_one(runner, smtp, now, moment):
    """The moment send-due acted at is the one it records as the message's sent_at."""
    keys = enqueue_messages(["sam@example.org"], due_at=LONG_AGO)

    assert send_due(runner, now).strip() == str(DispatchReport(sent=1))

    [row] = outbox_rows(keys)
    assert row.sent_at == moment


def test_a_message_is_not_due_a_second_before_its_time(runner, smtp):
    """Read as London time, 08:59 in summer is 07:59 UTC: a message due at 08:00 UTC waits."""
    keys = enqueue_messages(["sam@example.org"], due_at=datetime(2030, 7, 1, 8, 0, tzinfo=UTC))

    assert send_due(runner, "2030-07-01T08:59:59").strip() == str(DispatchReport())
    assert send_due(runner, at(datetime(2030, 7, 1, 8, 0, tzinfo=UTC))).strip() == str(
        DispatchReport(sent=1)
    )
    assert [row.status for row in outbox_rows(keys)] == ["sent"]
