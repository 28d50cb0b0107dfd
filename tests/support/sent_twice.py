"""One form sent twice at the same moment, from two real connections (PostgreSQL)."""

import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

from .postgres import WAIT_LIMIT_SECONDS, wait_until_blocked


def racing_sends(app, client, path: str, data: dict) -> list[tuple[int, str]]:
    """POST `data` to `path` twice with the client's session, each send in a thread of its
    own (so its own app context, database session and connection). The first is held just
    before it commits until the second waits on a lock in the database; then both finish.
    Returns each send's status and the page it led to, the first send's first."""
    session_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    first_may_commit = threading.Event()
    first_is_committing = threading.Event()
    outcomes: list = [None, None]

    def send(index: int) -> None:
        sender = app.test_client()
        sender.set_cookie(session_cookie.key, session_cookie.value)
        response = sender.post(path, data=data)
        shown = sender.get(response.headers["Location"]).text if response.location else ""
        outcomes[index] = (response.status_code, shown)

    first = threading.Thread(target=send, args=(0,))
    second = threading.Thread(target=send, args=(1,))

    def hold_the_first(session) -> None:
        if threading.current_thread() is first and not first_may_commit.is_set():
            first_is_committing.set()
            first_may_commit.wait(WAIT_LIMIT_SECONDS)

    event.listen(Session, "before_commit", hold_the_first)
    try:
        first.start()
        assert first_is_committing.wait(WAIT_LIMIT_SECONDS), "the first send never committed"
        second.start()
        wait_until_blocked(second, "the second send")
        first_may_commit.set()
        first.join(WAIT_LIMIT_SECONDS)
        second.join(WAIT_LIMIT_SECONDS)
    finally:
        first_may_commit.set()
        event.remove(Session, "before_commit", hold_the_first)
    return outcomes
