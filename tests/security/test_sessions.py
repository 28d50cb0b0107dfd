"""Desk sessions: cookie flags, a fresh session at sign-in, the idle time-out, and hashing."""

import time

from werkzeug.security import generate_password_hash

from app import create_app
from app.auth.idle import LAST_SEEN
from app.auth.service import hash_password

from ..support.desk import sign_in


def test_session_cookies_are_secure_outside_local_development(monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    production = create_app("production", {"SECRET_KEY": "x" * 32})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True
    assert production.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_cookie_a_browser_gets_says_so(app, client, staff):
    app.config["SESSION_COOKIE_SECURE"] = True
    response = sign_in(client)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signing_in_starts_a_new_session(client, staff):
    with client.session_transaction() as session:
        session["planted_before_sign_in"] = "attacker's value"
    assert sign_in(client).status_code == 303
    with client.session_transaction() as session:
        assert "planted_before_sign_in" not in session
        assert "_user_id" in session


def _idle_for(client, seconds: int) -> None:
    with client.session_transaction() as session:
        session[LAST_SEEN] = int(time.time()) - seconds


def test_a_desk_left_idle_asks_to_sign_in_again(app, desk):
    assert desk.get("/admin/").status_code == 200
    _idle_for(desk, app.config["DESK_IDLE_MINUTES"] * 60 + 5)
    response = desk.get("/admin/enquiries")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/admin/sign-in?next=/admin/enquiries")
    page = desk.get(response.headers["Location"])
    assert "not used for 30 minutes" in page.text
    # Signed out for real: the desk stays shut.
    assert desk.get("/admin/").status_code == 302


def test_a_desk_in_use_stays_signed_in(app, desk):
    _idle_for(desk, app.config["DESK_IDLE_MINUTES"] * 60 - 60)
    assert desk.get("/admin/").status_code == 200


def test_the_idle_limit_is_a_setting(app, desk):
    app.config["DESK_IDLE_MINUTES"] = 5
    _idle_for(desk, 6 * 60)
    assert desk.get("/admin/").status_code == 303


def test_password_hashing_meets_owasp_minimums(database_url):
    config = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url}).config
    # The testing class keeps the real default; only the fixtures lower it to run faster.
    method, n, r, p = config["STAFF_PASSWORD_HASH_METHOD"].split(":")
    assert method == "scrypt" and int(n) >= 2**17 and int(r) >= 8 and int(p) >= 1
    with create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url}).app_context():
        stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt:131072:8:1$")
    assert stored != generate_password_hash("correct horse battery", method="scrypt:131072:8:1")
