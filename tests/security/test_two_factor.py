"""The optional second step: set up from the desk, asked for at sign-in, recovery codes,
limits, and the operator's reset."""

import re

import pyotp
import pytest
from sqlalchemy import select

from app.auth.two_factor import STEP_SECONDS
from app.desk.two_factor.routes import SETUP
from app.extensions import db
from app.models import StaffUser

from ..conftest import form_tokens
from ..support.desk import FAST_HASHING, STAFF_EMAIL, sign_in

CODE_PAGE = "/admin/sign-in/code"
SETTINGS = "/admin/two-factor/"


def _post_from(client, page_path: str, action: str, **fields):
    page = client.get(page_path)
    return client.post(action, data={**form_tokens(page.text), **fields})


def turn_on(desk) -> tuple[str, list[str]]:
    """Set the second step up as the osteopath would; returns the secret and recovery codes."""
    assert _post_from(desk, SETTINGS, "/admin/two-factor/start").status_code == 303
    setup = desk.get("/admin/two-factor/setup")
    assert setup.status_code == 200
    with desk.session_transaction() as session:
        secret = session[SETUP]
    # The QR code is inline SVG and the URI is there as text too.
    assert "<svg" in setup.text and "<script" not in setup.text
    assert f"secret={secret}" in setup.text.replace("&amp;", "&")
    wrong = desk.post("/admin/two-factor/setup",
                      data={**form_tokens(setup.text), "code": "000000"})
    assert wrong.status_code == 400
    done = desk.post("/admin/two-factor/setup",
                     data={**form_tokens(setup.text), "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.text)
    assert len(codes) == 10
    return secret, codes


def _staff() -> StaffUser:
    db.session.expire_all()
    return db.session.execute(select(StaffUser)).scalar_one()


def _code_after_last_used(secret: str) -> str:
    """A valid code for a step after the one used at set-up (the window allows the next)."""
    return pyotp.TOTP(secret).at((_staff().totp_last_step + 1) * STEP_SECONDS)


def test_setting_up_stores_the_secret_and_only_hashes_of_the_recovery_codes(desk):
    secret, codes = turn_on(desk)
    user = _staff()
    assert user.totp_secret == secret and user.totp_enabled_at is not None
    assert len(user.recovery_code_hashes) == 10
    assert not set(codes) & set(user.recovery_code_hashes)
    # Shown once: the page does not show them again.
    assert codes[0] not in desk.get(SETTINGS).text


def test_sign_in_asks_for_the_code_after_the_password(app, desk):
    secret, _ = turn_on(desk)
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["Location"] == CODE_PAGE
    # The password alone opens nothing.
    assert client.get("/admin/").status_code == 302
    wrong = _post_from(client, CODE_PAGE, CODE_PAGE, code="123456")
    assert wrong.status_code == 400 and "did not work" in wrong.text
    code = _code_after_last_used(secret)
    right = _post_from(client, CODE_PAGE, CODE_PAGE, code=code)
    assert right.status_code == 303
    assert client.get("/admin/").status_code == 200
    # The same code cannot be used again, for instance by someone who saw it typed.
    other = app.test_client()
    sign_in(other)
    assert _post_from(other, CODE_PAGE, CODE_PAGE, code=code).status_code == 400


def test_a_recovery_code_works_once(app, desk):
    _, codes = turn_on(desk)
    for attempt, expected in ((1, 303), (2, 400)):
        client = app.test_client()
        sign_in(client)
        response = _post_from(client, CODE_PAGE, CODE_PAGE, code=codes[0].upper())
        assert response.status_code == expected, attempt
    assert len(_staff().recovery_code_hashes) == 9


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client, staff):
    response = client.get(CODE_PAGE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/sign-in"


def test_turning_it_off_needs_a_code(desk):
    secret, _ = turn_on(desk)
    refused = _post_from(desk, SETTINGS, "/admin/two-factor/off", code="000000")
    assert refused.status_code == 303 and _staff().has_two_factor
    _post_from(desk, SETTINGS, "/admin/two-factor/off", code=_code_after_last_used(secret))
    assert not _staff().has_two_factor
    assert desk.get("/admin/").status_code == 200  # this session carries on


def test_the_operator_can_reset_it(desk, runner):
    turn_on(desk)
    result = runner.invoke(args=["staff", "reset-2fa", STAFF_EMAIL])
    assert result.exit_code == 0, result.output
    user = _staff()
    assert not user.has_two_factor and user.recovery_code_hashes == []
    # Every session of the account ended with it.
    assert desk.get("/admin/").status_code == 302
    assert runner.invoke(args=["staff", "reset-2fa", "nobody@x.example"]).exit_code == 1


class TestCodeAttemptsAreLimited:
    @pytest.fixture
    def app_overrides(self):
        return {**FAST_HASHING, "RATELIMIT_ENABLED": True,
                "TWO_FACTOR_RATE_LIMIT": "3 per minute", "SIGNIN_RATE_LIMIT": "50 per minute"}

    def test_guessing_codes_is_stopped(self, app, desk):
        turn_on(desk)
        client = app.test_client()
        sign_in(client)
        statuses = [_post_from(client, CODE_PAGE, CODE_PAGE, code="111111").status_code
                    for _ in range(4)]
        assert statuses == [400, 400, 400, 429]
