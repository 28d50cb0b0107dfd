"""Desk sessions: cookie flags, a fresh session at sign-in, sessions that end on the server
(signing out, everywhere, a new password, the second step, idle, too long), and hashing."""

import hashlib
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import event, select
from werkzeug.security import generate_password_hash

from app import create_app
from app.auth.service import hash_password
from app.extensions import db
from app.models import DeskSession

from ..conftest import form_tokens
from ..support.desk import SIGN_IN, sign_in
from .test_two_factor import _code_after_last_used, _post_from, turn_on

SIGNED_IN_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_session_cookies_are_secure_outside_local_development(monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    production = create_app(
        "production", {"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True
    assert production.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_cookie_a_browser_gets_says_so(app, client, staff):
    app.config["SESSION_COOKIE_SECURE"] = True
    response = sign_in(client)
    cookie = next(cookie for cookie in response.headers.getlist("Set-Cookie")
                  if cookie.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signing_in_starts_a_new_session(client, staff):
    with client.session_transaction() as session:
        session["planted_before_sign_in"] = "attacker's value"
    assert sign_in(client).status_code == 303
    with client.session_transaction() as session:
        assert "planted_before_sign_in" not in session
        assert "_user_id" in session


def test_the_cookie_holds_a_random_session_id_and_the_database_only_its_hash(client, staff):
    assert sign_in(client).status_code == 303
    with client.session_transaction() as session:
        session_id = session["_user_id"]
    assert len(session_id) >= 40 and str(staff.id) != session_id
    stored = db.session.execute(select(DeskSession.token_hash)).scalars().all()
    assert stored == [hashlib.sha256(session_id.encode()).hexdigest()]


# ---------------------------------------------------------------- ended on the server


def session_cookie(client) -> str:
    """A copy of the browser's session cookie, as someone who saw it could keep."""
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """The desk opened from another browser holding only the copied cookie."""
    stranger = app.test_client()
    stranger.set_cookie("session", cookie)
    return stranger.get("/admin/")


def test_a_copy_of_the_cookie_is_refused_after_signing_out(app, desk):
    copy = session_cookie(desk)
    assert replay(app, copy).status_code == 200
    page = desk.get("/admin/")
    assert desk.post("/admin/sign-out", data=form_tokens(page.text)).status_code == 303
    refused = replay(app, copy)
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith(SIGN_IN)
    ended = db.session.execute(select(DeskSession)).scalar_one()
    assert ended.ended_at is not None


def test_signing_out_everywhere_refuses_copies_of_every_cookie(app, desk):
    other_device = app.test_client()
    assert sign_in(other_device).status_code == 303
    copies = [session_cookie(desk), session_cookie(other_device)]
    page = desk.get("/admin/")
    assert desk.post("/admin/sign-out-everywhere", data=form_tokens(page.text)).status_code == 303
    assert [replay(app, copy).status_code for copy in copies] == [302, 302]


def test_a_new_password_refuses_copies_of_every_cookie(app, desk, runner, staff):
    copy = session_cookie(desk)
    result = runner.invoke(args=["staff", "set-password", staff.email],
                           input="a brand new passphrase\n")
    assert result.exit_code == 0, result.output
    assert replay(app, copy).status_code == 302


def test_turning_the_second_step_on_or_off_ends_every_other_session(app, desk):
    other_device = app.test_client()
    assert sign_in(other_device).status_code == 303
    before_on = session_cookie(other_device)
    secret, recovery_codes = turn_on(desk)
    assert replay(app, before_on).status_code == 302
    assert desk.get("/admin/").status_code == 200  # the browser that turned it on carries on

    before_off = session_cookie(desk)
    other_device = app.test_client()
    sign_in(other_device)
    assert _post_from(other_device, "/admin/sign-in/code", "/admin/sign-in/code",
                      code=recovery_codes[0]).status_code == 303
    assert other_device.get("/admin/").status_code == 200
    turned_off = _post_from(desk, "/admin/two-factor/", "/admin/two-factor/off",
                            code=_code_after_last_used(secret))
    assert turned_off.status_code == 303
    assert other_device.get("/admin/").status_code == 302
    assert replay(app, before_off).status_code == 302
    assert desk.get("/admin/").status_code == 200


# ---------------------------------------------------------------- idle and too long


@contextmanager
def signed_in_at(client, moment: datetime = SIGNED_IN_AT):
    """The clock stopped at `moment`, the client signed in then; yields the time machine."""
    with time_machine.travel(moment, tick=False) as clock:
        assert sign_in(client).status_code == 303
        yield clock


def test_a_desk_left_idle_asks_to_sign_in_again(app, client, staff):
    with signed_in_at(client) as clock:
        assert client.get("/admin/").status_code == 200
        copy = session_cookie(client)
        clock.shift(timedelta(minutes=30, seconds=5))
        response = client.get("/admin/enquiries")
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/admin/sign-in?next=/admin/enquiries")
        page = client.get(response.headers["Location"])
        assert "not used for 30 minutes" in page.text
        # Signed out for real: the desk stays shut, and so does any copy of the cookie.
        assert client.get("/admin/").status_code == 302
        assert replay(app, copy).status_code == 302


def test_a_desk_in_use_stays_signed_in(client, staff):
    with signed_in_at(client) as clock:
        for _ in range(4):
            clock.shift(timedelta(minutes=29))
            assert client.get("/admin/").status_code == 200


def test_the_idle_limit_is_a_setting(app, client, staff):
    app.config["DESK_IDLE_MINUTES"] = 5
    with signed_in_at(client) as clock:
        clock.shift(timedelta(minutes=4))
        assert client.get("/admin/").status_code == 200
        clock.shift(timedelta(minutes=5, seconds=1))
        response = client.get("/admin/")
        assert response.status_code == 303
        assert "not used for 5 minutes" in client.get(response.headers["Location"]).text


def test_a_session_ends_twelve_hours_after_signing_in_however_busy(app, client, staff):
    with signed_in_at(client) as clock:
        for _ in range(29):  # every 25 minutes, until 11:40 after signing in
            assert client.get("/admin/").status_code == 200
            clock.shift(timedelta(minutes=25))
        clock.move_to(SIGNED_IN_AT + timedelta(hours=12, seconds=1))
        response = client.get("/admin/")
        assert response.status_code == 303
        assert "signed in more than 12 hours ago" in client.get(response.headers["Location"]).text
        assert sign_in(client).status_code == 303


@contextmanager
def statements_on(table: str):
    """Every SQL statement that names `table`, run inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        if table in statement:
            seen.append(statement.split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_desk_page_reads_its_session_once_and_writes_last_seen_at_most_once_a_minute(
    client, staff
):
    with signed_in_at(client) as clock:
        clock.shift(timedelta(seconds=59))
        with statements_on("desk_session") as within_the_minute:
            assert client.get("/admin/").status_code == 200
        clock.shift(timedelta(seconds=2))
        with statements_on("desk_session") as after_the_minute:
            assert client.get("/admin/").status_code == 200
        with statements_on("desk_session") as straight_after:
            assert client.get("/admin/").status_code == 200
    assert within_the_minute == ["SELECT"]
    assert after_the_minute == ["SELECT", "UPDATE"]
    assert straight_after == ["SELECT"]


def test_a_public_page_without_a_desk_session_reads_no_session(client, staff):
    with statements_on("desk_session") as seen:
        assert client.get("/enquire").status_code == 200
    assert seen == []


def test_password_hashing_meets_owasp_minimums(database_url):
    config = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url}).config
    # The testing class keeps the real default; only the fixtures lower it to run faster.
    method, n, r, p = config["STAFF_PASSWORD_HASH_METHOD"].split(":")
    assert method == "scrypt" and int(n) >= 2**17 and int(r) >= 8 and int(p) >= 1
    with create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url}).app_context():
        stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt:131072:8:1$")
    assert stored != generate_password_hash("correct horse battery", method="scrypt:131072:8:1")
