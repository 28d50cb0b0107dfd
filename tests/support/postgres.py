"""Watching PostgreSQL for a transaction that waits on a lock, to stage races without sleeps."""

import threading
import time

from sqlalchemy import text

from app.extensions import db

# Only stops a stuck test; a waiting transaction shows up within milliseconds.
WAIT_LIMIT_SECONDS = 30


def _waiting_on_locks() -> int:
    return db.session.execute(
        text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    ).scalar_one()


def wait_until_blocked(thread: threading.Thread, what: str) -> None:
    """Return once some transaction of this database waits on a lock (the thread's, as the
    test arranged), or fail saying `what` never waited."""
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while _waiting_on_locks() == 0 and thread.is_alive():
        assert time.monotonic() < deadline, f"{what} never waited"
        time.sleep(0.02)
        db.session.rollback()
