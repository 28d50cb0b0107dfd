"""Check-ins: answered once through the form, advice at once, and the osteopath alerted when
the patient is getting worse or reports a red flag."""

import time
from datetime import UTC, datetime

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from app.models import CheckIn, Enrolment, OutboxMessage
from app.tokens import make_token

from ..conftest import form_tokens
from ..support.outbox import send_due
from ..support.programme import answer_checkin, checkin_answers, patient_on_programme

ENROLLED = datetime(2027, 5, 3, 9, 30, tzinfo=UTC)
# The patient enrols at ENROLLED and the clock stays there, so the welcome email is due at
# the very moment `send-due --now` names.
pytestmark = pytest.mark.time_machine(ENROLLED, tick=False)


@pytest.fixture
def enrolment(app):
    return patient_on_programme(ENROLLED, pain_score=5)


def checkin_url(enrolment, week=2) -> str:
    return f"http://localhost/checkin/{make_token('checkin', enrolment.id, week=week)}"


def checkin_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(CheckIn))


def test_answered_once_and_a_later_visit_shows_the_answers(client, db, enrolment):
    url = f"/checkin/{make_token('checkin', enrolment.id, week=2)}"
    tokens = form_tokens(client.get(url).text)
    first = client.post(url, data={**tokens, **checkin_answers(band="the red one")})
    assert first.status_code == 200 and "Thank you for your answers" in first.text
    later = client.get(url)
    assert "You have already answered this check-in" in later.text
    assert "the red one" in later.text
    # A second press of the button sends the same form again: it shows the saved answers.
    again = client.post(url, data={**tokens, **checkin_answers(band="blue")})
    assert again.status_code == 200 and "the red one" in again.text
    assert checkin_count(db) == 1


@pytest.mark.parametrize(
    ("answers", "emergency"),
    [
        ({"pain_score": "7"}, False),  # worse than the 5 at enrolment
        ({"red_flags": ["fever"]}, False),
        ({"red_flags": ["saddle_numbness"]}, True),
    ],
)
def test_getting_worse_stops_the_programme_and_alerts_the_osteopath(
    app, client, db, runner, smtp, enrolment, answers, emergency
):
    send_due(runner, now="2027-05-03T09:30:00Z")
    page = answer_checkin(client, checkin_url(enrolment), **answers)
    assert "Please stop the exercise for now and talk to us" in page.text
    assert 'href="/book"' in page.text  # the patient is offered a booking
    assert "Time for a firmer band" not in page.text
    main = page.text.split("<main", 1)[1]
    if emergency:
        assert main.index("Call 999") < main.index("Please stop the exercise")
    assert db.session.execute(select(Enrolment.status)).scalar_one() == "paused"

    send_due(runner, now="2027-05-03T10:00:00Z")
    (alert,) = smtp.to(app.config["CLINIC_NOTIFY_EMAIL"])[-1:]
    assert alert["Subject"].startswith("URGENT: week-2 check-in from Alex Morgan")
    # Nothing more of the programme goes to the patient while it is paused.
    before = len(smtp.to("alex@example.org"))
    send_due(runner, now="2027-08-01T09:00:00Z")
    assert len(smtp.to("alex@example.org")) == before


def test_missing_answers_are_shown_inline_and_nothing_is_saved(client, db, enrolment):
    url = f"/checkin/{make_token('checkin', enrolment.id, week=4)}"
    page = client.get(url)
    answers = checkin_answers(effort="", pain_score="11", red_flags=["none", "fever"])
    response = client.post(url, data={**form_tokens(page.text), **answers})
    assert response.status_code == 400
    assert "Tell us how hard it feels." in response.text
    assert "None of these apply to me&#39; and a symptom" in response.text
    assert checkin_count(db) == 0


def test_a_form_without_its_csrf_token_is_refused(client, db, enrolment):
    response = client.post(
        f"/checkin/{make_token('checkin', enrolment.id, week=2)}", data=checkin_answers()
    )
    assert response.status_code == 400
    assert checkin_count(db) == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda e: make_token("checkin", e.id, week=3),  # no such check-in
        lambda e: make_token("unsubscribe", e.id),  # made for another purpose
        lambda e: make_token("checkin", e.id + 1000, week=2),  # another record
        lambda e: make_token("checkin", e.id, week=2).replace(".", "x", 1),  # tampered
    ],
)
def test_links_that_prove_nothing_get_a_clear_page(client, db, enrolment, make):
    response = client.get(f"/checkin/{make(enrolment)}")
    assert response.status_code == 404
    assert "This link does not work" in response.text


def test_an_old_link_has_expired(client, enrolment, monkeypatch):
    sixty_one_days_ago = int(time.time()) - 61 * 86400
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: sixty_one_days_ago)
    token = make_token("checkin", enrolment.id, week=2)
    monkeypatch.undo()
    response = client.get(f"/checkin/{token}")
    assert response.status_code == 410
    assert "This link has expired" in response.text


def test_a_paused_programme_takes_no_answers(client, db, enrolment):
    from app.programme.service import change_status

    change_status(enrolment, "paused", "osteopath reviewing")
    response = client.get(f"/checkin/{make_token('checkin', enrolment.id, week=2)}")
    assert response.status_code == 409
    assert "not running at the moment" in response.text
    pending = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
    )
    assert pending == 2  # only the enquiry's own emails; the programme's are cancelled
