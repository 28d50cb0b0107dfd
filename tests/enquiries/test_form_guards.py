"""The checks that turn away forged, replayed and automated posts, without failing a person:
each shows the form again with every answer kept, and a second try from that page works."""

import time

import pytest
from itsdangerous import TimestampSigner

from app.validators import FillTimerField

from ..conftest import form_tokens
from ..support.enquiries import row_counts, valid_answers
from .refusals import assert_turned_back

RESEND = "we could not send the form this time"


class Backdated(TimestampSigner):
    """Signs as if the form had been shown `seconds` ago."""

    def __init__(self, *args, seconds: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seconds = seconds

    def get_timestamp(self) -> int:
        return int(time.time()) - self.seconds


def started_token(secret: str, seconds_ago: int) -> str:
    return Backdated(secret, salt=FillTimerField.SALT, seconds=seconds_ago).sign("form").decode()


def send(client, **token_changes):
    """GET the form, change its hidden tokens (None drops one), POST it with good answers."""
    tokens = form_tokens(client.get("/enquire").text)
    tokens.update(token_changes)
    tokens = {name: value for name, value in tokens.items() if value is not None}
    return client.post("/enquire", data={**tokens, **valid_answers()})


def send_again(client, page) -> int:
    """Press send once more on the page that came back, as the person would."""
    return client.post("/enquire", data={**form_tokens(page.text), **valid_answers()}).status_code


def other_sessions_token(app) -> str:
    # Its own app context: Flask-WTF caches the token in `g`, which requests in one context share.
    with app.app_context():
        return form_tokens(app.test_client().get("/enquire").text)["csrf_token"]


@pytest.mark.parametrize(
    "token, says",
    [
        (None, RESEND),
        ("not-a-token", RESEND),
        (other_sessions_token, RESEND),
    ],
    ids=["csrf-missing", "csrf-wrong", "csrf-from-another-session"],
)
def test_bad_csrf_token_keeps_the_answers_and_saves_nothing(token, says, client, app):
    assert app.config["WTF_CSRF_ENABLED"] is not False
    before = row_counts()
    response = send(client, csrf_token=token(app) if callable(token) else token)
    assert_turned_back(response, valid_answers(), says)
    assert row_counts() == before
    assert send_again(client, response) == 303


@pytest.mark.parametrize(
    "started, says",
    [
        (None, "we could not accept this form"),
        ("form.AAAAAA.forged", "we could not accept this form"),
        (lambda app: started_token("another-secret", 60), "we could not accept this form"),
        (
            lambda app: started_token(
                app.secret_key, app.config["ENQUIRY_MAX_FORM_AGE_SECONDS"] + 60
            ),
            "this form was open for a long time",
        ),
    ],
    ids=["missing", "tampered", "signed-elsewhere", "expired"],
)
def test_bad_fill_timer_keeps_the_answers_and_saves_nothing(started, says, client, app):
    before = row_counts()
    response = send(client, started=started(app) if callable(started) else started)
    assert_turned_back(response, valid_answers(), says)
    assert row_counts() == before
    # The page that came back carries a fresh token, so sending it again works.
    assert send_again(client, response) == 303


def test_filled_honeypot_is_refused(client):
    before = row_counts()
    typed = valid_answers(website="https://spam.example")
    tokens = form_tokens(client.get("/enquire").text)
    response = client.post("/enquire", data={**tokens, **typed})
    assert_turned_back(response, typed, "we could not accept this form")
    assert row_counts() == before


class TestMinimumFillTime:
    @pytest.fixture
    def app_overrides(self):
        return {"ENQUIRY_MIN_FILL_SECONDS": 30}

    def test_instant_submission_is_refused(self, client):
        before = row_counts()
        response = send(client)
        assert_turned_back(response, valid_answers(), "that was very quick")
        assert row_counts() == before

    def test_quick_submission_keeps_its_start_time(self, client, app):
        started = started_token(app.secret_key, 10)
        response = send(client, started=started)
        assert_turned_back(response, valid_answers(), "that was very quick")
        # The clock runs from when the form was first shown: a fresh token would make a quick
        # typist wait the whole time again before sending.
        assert form_tokens(response.text)["started"] == started

    def test_form_shown_long_enough_ago_is_accepted(self, client, app):
        response = send(client, started=started_token(app.secret_key, 60))
        assert response.status_code == 303
        assert row_counts()["enquiries"] == 1
