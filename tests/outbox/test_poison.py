"""A message that cannot be rendered is retried and then failed; it never stops the others."""

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import OutboxMessage

from ..support.outbox import BEFORE_START, START, at, enqueue_messages, outbox_rows, send_due

pytestmark = BEFORE_START


@pytest.fixture
def app_overrides():
    return {"OUTBOX_MAX_ATTEMPTS": 2, "OUTBOX_RETRY_BASE_SECONDS": 60}


def test_an_unrenderable_message_fails_after_its_attempts_and_the_rest_go(app, runner, smtp):
    broken, good = enqueue_messages(["broken@example.org", "good@example.org"], due_at=START)
    # A template that no longer exists stands for any bug that makes rendering raise.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.idempotency_key == broken)
        .values(template="no_such_template")
    )
    db.session.commit()

    output = send_due(runner, now=at(START))
    assert "sent 1, retrying 1" in output
    assert [m["To"] for m in smtp.messages] == ["good@example.org"]
    (row,) = outbox_rows([broken])
    assert row.status == "pending" and "could not render" in row.last_error

    later = START.replace(minute=5)
    assert "failed 1" in send_due(runner, now=at(later))
    (row,) = outbox_rows([broken])
    assert row.status == "failed" and row.attempts == 2
    assert outbox_rows([good])[0].status == "sent"
