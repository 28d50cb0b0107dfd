"""Running the outbox commands the way cron or an operator would, and reading what they did."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from app.enquiries.emails import NOTIFY
from app.enquiries.service import EnquirySubmission, submit_enquiry
from app.extensions import db
from app.models import OutboxMessage
from app.outbox.service import cancel_pending, enqueue

from ..conftest import make_app

# The moment every outbox test starts from; each run of send-due is told the time with --now.
START = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
# A module whose tests start from START stands the day before it (`pytestmark = BEFORE_START`):
# a worker renews its leases from the later of --now and its own clock, so its own clock must
# not pass START while the test runs, whatever the real date.
BEFORE_START = pytest.mark.time_machine(START - timedelta(days=1))


def send_due(runner, now: str | None = None):
    args = ["outbox", "send-due"] + (["--now", now] if now else [])
    result = runner.invoke(args=args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def at(moment: datetime) -> str:
    """A moment as `--now` takes it, with its offset."""
    return moment.isoformat()


@contextmanager
def app_with_mail_at(database_url: str, smtp_port: int, **overrides) -> Iterator:
    """A second app on the same database whose mail goes to another port (a server come back).

    Its context is pushed over the test's own, so commands run through it use its settings.
    Nothing may be left open in the test's session: on SQLite that would hold the write lock.
    """
    app = make_app(database_url, smtp_port, **{**overrides, "MAIL_PORT": smtp_port})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def outbox_rows(keys: list[str] | None = None) -> list[OutboxMessage]:
    """The outbox rows (all, or those with these keys) as the database holds them now, by id,
    detached from the session.

    The read's transaction is ended before returning, so a worker in another process is
    never kept waiting by the test (on SQLite every transaction holds the write lock).
    """
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if keys is not None:
        query = query.where(OutboxMessage.idempotency_key.in_(keys))
    rows = db.session.execute(query.execution_options(populate_existing=True)).scalars().all()
    db.session.expunge_all()
    db.session.rollback()
    return rows


def submission(**overrides) -> EnquirySubmission:
    answers = {
        "name": "Sam Patel",
        "email": "sam@example.org",
        "problem": "back",
        "location": "Lower back",
        "duration": "under_6_weeks",
        "pain_score": 5,
        "consent_contact": True,
    }
    return EnquirySubmission(**{**answers, **overrides})


def enqueue_messages(recipients: list[str], due_at: datetime | None = None) -> list[str]:
    """Commit one message to each recipient, all due at `due_at`; returns their keys in order.

    The messages describe one real enquiry, as every template needs one; that enquiry's own
    two emails are cancelled so that the test decides every message that is due.
    """
    enquiry = submit_enquiry(submission())
    cancel_pending(OutboxMessage.enquiry_id == enquiry.id)
    keys = [f"test:{enquiry.id}:{index:04d}" for index in range(len(recipients))]
    for index, (key, recipient) in enumerate(zip(keys, recipients, strict=True)):
        enqueue(
            key=key,
            template=NOTIFY,
            to=recipient,
            subject=f"Test message {index}",
            due_at=due_at,
            enquiry_id=enquiry.id,
        )
    db.session.commit()
    return keys



@contextmanager
def statements(engine, verb: str) -> Iterator[list[str]]:
    """The SQL statements beginning with `verb` (SELECT, UPDATE …; "" for every one) run
    inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(verb):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


STATEMENT_KIND = re.compile(
    r"^\s*(BEGIN(?: IMMEDIATE)?|INSERT INTO \w+|UPDATE \w+|DELETE FROM \w+|SELECT \w+\(|SELECT)",
    re.IGNORECASE,
)
FROM_TABLE = re.compile(r"\bFROM (\w+)", re.IGNORECASE)


def kind_of(statement: str) -> str:
    """What a statement does and to which table, in a few words: "INSERT INTO enquiry",
    "SELECT enrolment", "SELECT pg_advisory_xact_lock(", "BEGIN IMMEDIATE"."""
    kind = STATEMENT_KIND.match(statement).group(1)
    if kind.upper() == "SELECT":
        table = FROM_TABLE.search(statement)
        return f"SELECT {table.group(1)}" if table else "SELECT"
    return kind
