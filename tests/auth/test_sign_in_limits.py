"""Failed sign-ins are limited per address and per account; the limit answers 429. A browser
that signed in before (its device cookie) is counted on its own, so guessing elsewhere never
locks the osteopath out, at the password or at the code from the app."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from itsdangerous import URLSafeTimedSerializer

from app.auth import devices, two_factor
from app.extensions import db
from config.settings import DEVELOPMENT_SECRET_KEY

from ..conftest import form_tokens
from ..support.desk import FAST_HASHING, PASSWORD, STAFF_EMAIL, make_staff, sign_in

WRONG = "not the password at all"
CODE_PAGE = "/admin/sign-in/code"
# The osteopath's own browser, and an attacker sharing its address (the clinic's wifi, say).
CLINIC = "192.0.2.10"
NOW = datetime(2026, 6, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def app_overrides():
    return {**FAST_HASHING, "RATELIMIT_ENABLED": True, "SIGNIN_RATE_LIMIT": "3 per 15 minutes"}


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_one_address_is_stopped_after_too_many_failures(app, staff):
    client = client_at(app, "203.0.113.7")
    for n in range(3):
        assert sign_in(client, f"guess{n}@clinic.example", WRONG).status_code == 400
    blocked = sign_in(client, STAFF_EMAIL, PASSWORD)
    assert blocked.status_code == 429
    assert "Too many tries" in blocked.text
    assert client.get("/admin/").status_code == 302
    # Someone else, somewhere else, is not affected.
    assert sign_in(client_at(app, "198.51.100.1")).status_code == 303


def test_one_account_is_stopped_after_failures_from_many_addresses(app, staff):
    for n in range(3):
        client = client_at(app, f"203.0.113.{n + 1}")
        assert sign_in(client, STAFF_EMAIL.upper(), WRONG).status_code == 400
    assert sign_in(client_at(app, "198.51.100.1")).status_code == 429


def test_successful_sign_ins_do_not_use_up_the_tries(app, staff):
    client = client_at(app, "203.0.113.9")
    for _ in range(5):
        assert sign_in(client).status_code == 303
        with client.session_transaction() as session:
            session.clear()
    assert sign_in(client, password=WRONG).status_code == 400


# ---------------------------------------------------------------- device cookies


def signed_in_browser(app, address: str = CLINIC, email: str = STAFF_EMAIL):
    """A browser that has signed in to the desk before, and signed out since."""
    browser = client_at(app, address)
    assert sign_in(browser, email).status_code == 303
    sign_out(browser)
    return browser


def sign_out(browser) -> None:
    page = browser.get("/admin/")
    assert browser.post("/admin/sign-out", data=form_tokens(page.text)).status_code == 303


def lock_the_account_by_guessing(app) -> None:
    """Wrong passwords for the osteopath's account from one client until it is locked."""
    attacker = client_at(app, CLINIC)
    assert [sign_in(attacker, STAFF_EMAIL, WRONG).status_code for _ in range(4)] == [
        400, 400, 400, 429]


def device_cookie(browser) -> str:
    return browser.get_cookie(devices.COOKIE, path="/admin/sign-in").value


def test_the_osteopaths_browser_signs_in_while_guessing_has_locked_the_account(app, staff):
    browser = signed_in_browser(app)
    lock_the_account_by_guessing(app)
    # Anyone else, anywhere, is still refused...
    assert sign_in(client_at(app, "198.51.100.1")).status_code == 429
    # ...but the browser that signed in before is not, even from the same address.
    assert sign_in(browser).status_code == 303
    assert browser.get("/admin/").status_code == 200


def _forged(app) -> str:
    return URLSafeTimedSerializer(DEVELOPMENT_SECRET_KEY, salt=devices.SALT).dumps(
        {"account": STAFF_EMAIL, "device": "made-up"})


def _expired(app) -> str:
    """A genuine device cookie, from a sign-in longer ago than DEVICE_COOKIE_DAYS."""
    with time_machine.travel(NOW - timedelta(days=181), tick=False):
        return device_cookie(signed_in_browser(app))


def _other_account(app) -> str:
    make_staff("reception@clinic.example")
    return device_cookie(signed_in_browser(app, email="reception@clinic.example"))


@pytest.mark.parametrize("made", [_forged, _expired, _other_account],
                         ids=["forged", "expired", "other-account"])
def test_a_device_cookie_that_does_not_fit_does_not_help(app, staff, made):
    with time_machine.travel(NOW, tick=False):
        cookie = made(app)
        lock_the_account_by_guessing(app)
        browser = client_at(app, "198.51.100.2")
        browser.set_cookie(devices.COOKIE, cookie, path="/admin/sign-in")
        assert sign_in(browser).status_code == 429


def test_a_device_cookie_that_keeps_failing_is_locked_out_alone(app, staff):
    browser = signed_in_browser(app)
    assert [sign_in(browser, password=WRONG).status_code for _ in range(3)] == [400] * 3
    assert sign_in(browser).status_code == 429
    # Its failures counted against it alone: the account is not locked for anyone else.
    assert sign_in(client_at(app, "198.51.100.3")).status_code == 303


def test_the_device_cookie_is_for_the_sign_in_pages_only_and_hidden_from_scripts(app, staff):
    app.config["SESSION_COOKIE_SECURE"] = True
    response = sign_in(client_at(app, CLINIC))
    cookie = next(cookie for cookie in response.headers.getlist("Set-Cookie")
                  if cookie.startswith(devices.COOKIE + "="))
    for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/admin/sign-in",
                      f"Max-Age={180 * 24 * 3600}"):
        assert attribute in cookie
    app.config["SESSION_COOKIE_SECURE"] = False
    plain = sign_in(client_at(app, CLINIC)).headers.getlist("Set-Cookie")
    assert not any("Secure" in cookie for cookie in plain)


def test_a_failed_sign_in_gives_no_device_cookie(app, staff):
    client = client_at(app, CLINIC)
    assert sign_in(client, password=WRONG).status_code == 400
    assert client.get_cookie(devices.COOKIE, path="/admin/sign-in") is None


class TestTheCodeStep:
    """The same at the second step, where guessing codes (with a stolen password) must not
    lock out the osteopath, who has her phone."""

    @pytest.fixture
    def app_overrides(self):
        return {**FAST_HASHING, "RATELIMIT_ENABLED": True, "SIGNIN_RATE_LIMIT": "50 per minute",
                "TWO_FACTOR_RATE_LIMIT": "3 per 15 minutes"}

    @pytest.fixture
    def clock(self):
        with time_machine.travel(NOW, tick=False) as clock:
            yield clock

    @pytest.fixture
    def secret(self, clock, staff) -> str:
        secret = pyotp.random_base32()
        assert two_factor.enable(staff, secret, pyotp.TOTP(secret).now()) is not None
        db.session.commit()
        return secret

    @staticmethod
    def code_step(client, code: str) -> int:
        """The password, then a code; the code step's answer."""
        assert sign_in(client).headers["Location"] == CODE_PAGE
        page = client.get(CODE_PAGE)
        return client.post(CODE_PAGE, data={**form_tokens(page.text), "code": code}).status_code

    def test_the_osteopaths_browser_passes_while_guessing_has_locked_the_codes(
        self, app, clock, secret
    ):
        browser = client_at(app, CLINIC)
        clock.shift(timedelta(seconds=30))
        assert self.code_step(browser, pyotp.TOTP(secret).now()) == 303
        sign_out(browser)
        attacker = client_at(app, CLINIC)
        assert [self.code_step(attacker, "000000") for _ in range(4)] == [400, 400, 400, 429]
        clock.shift(timedelta(seconds=30))
        code = pyotp.TOTP(secret).now()
        assert self.code_step(client_at(app, "198.51.100.4"), code) == 429
        assert self.code_step(browser, code) == 303
        assert browser.get("/admin/").status_code == 200
