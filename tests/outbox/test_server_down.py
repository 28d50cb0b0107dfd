"""A mail server that is down costs time, never a message: rows wait, back off, and finally
fail where the osteopath can see them."""

from collections import Counter
from datetime import timedelta

import pytest

from app.outbox.dispatch import DispatchReport

from ..support.enquiries import post_enquiry
from ..support.outbox import (
    BEFORE_START,
    START,
    app_with_mail_at,
    at,
    enqueue_messages,
    outbox_rows,
    send_due,
)

pytestmark = BEFORE_START

BASE = timedelta(seconds=60)
NOTHING_DONE = str(DispatchReport())


@pytest.fixture
def app_overrides(down_port):
    return {"MAIL_PORT": down_port, "OUTBOX_RETRY_BASE_SECONDS": 60, "OUTBOX_MAX_ATTEMPTS": 3}


def test_enquiry_taken_while_mail_is_down_is_sent_exactly_once_when_it_is_back(
    client, runner, smtp, database_url, app_overrides
):
    """The form still says thank you; the emails wait out their back-off, then go once."""
    # Without follow-up consent the enquiry causes just its two emails, the whole queue here.
    response = post_enquiry(client, consent_followup=None)
    assert response.status_code == 303

    assert send_due(runner, at(START)).strip() == str(DispatchReport(retrying=2))
    waiting = outbox_rows()
    assert [row.status for row in waiting] == ["pending", "pending"]
    for row in waiting:
        assert row.attempts == 1
        assert row.last_error.startswith("connecting:")
        assert "ConnectionRefusedError" in row.last_error
        assert row.due_at == START + BASE
        assert row.lease_until is None

    with app_with_mail_at(database_url, smtp.port, **app_overrides) as back:
        runner = back.test_cli_runner()
        # The server being up again does not cut the back-off short.
        assert send_due(runner, at(START + BASE - timedelta(seconds=1))).strip() == NOTHING_DONE
        assert send_due(runner, at(START + BASE)).strip() == str(DispatchReport(sent=2))
        assert send_due(runner, at(START + timedelta(days=1))).strip() == NOTHING_DONE

    sent = outbox_rows()
    assert [row.status for row in sent] == ["sent", "sent"]
    assert [row.attempts for row in sent] == [2, 2]
    assert all(row.sent_at == START + BASE and row.last_error is None for row in sent)
    arrived = Counter(message["Message-ID"] for message in smtp.messages)
    assert arrived == Counter(row.message_id for row in waiting)


def test_retries_end_in_failed_after_the_last_attempt_and_the_row_is_kept(runner):
    """Back-off doubles (60s, then 120s); the third failure is final, and failed rows stay."""
    keys = enqueue_messages(["sam@example.org"], due_at=START)
    attempts = [
        # (when it is due, what happens then, attempts so far, when it is due next)
        (START, DispatchReport(retrying=1), "pending", START + BASE),
        (START + BASE, DispatchReport(retrying=1), "pending", START + 3 * BASE),
        (START + 3 * BASE, DispatchReport(failed=1), "failed", START + 3 * BASE),
    ]
    for number, (due, outcome, status, next_due) in enumerate(attempts, start=1):
        assert send_due(runner, at(due - timedelta(seconds=1))).strip() == NOTHING_DONE
        assert send_due(runner, at(due)).strip() == str(outcome)
        [row] = outbox_rows(keys)
        assert (row.status, row.attempts, row.due_at) == (status, number, next_due)
        assert row.last_error.startswith("connecting:")

    assert send_due(runner, at(START + timedelta(days=30))).strip() == NOTHING_DONE
    [row] = outbox_rows(keys)
    assert (row.status, row.attempts, row.sent_at) == ("failed", 3, None)
    assert "ConnectionRefusedError" in row.last_error
