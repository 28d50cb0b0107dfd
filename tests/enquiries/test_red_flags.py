"""Safety before self-help: every red-flag answer is saved as urgent and met with the right
advice at once, on the page and by email, and never starts an exercise programme."""

import pytest
from sqlalchemy import select

from app.clinical.screening import RED_FLAGS
from app.models import Enquiry, OutboxMessage

from ..support.enquiries import post_enquiry, row_counts
from ..support.outbox import send_due
from .pages import main_of, parse, shown_values, words

EMERGENCY_ADVICE = "call 999 or go to a&e"
URGENT_ADVICE = "nhs 111 or your gp the same day"
# The emails word the same-day advice as "NHS 111 or your GP surgery ... same-day appointment".
URGENT_EMAIL_ADVICE = "nhs 111 or your gp"
ADVICE = {"emergency": EMERGENCY_ADVICE, "urgent": URGENT_ADVICE}
EMAIL_ADVICE = {"emergency": EMERGENCY_ADVICE, "urgent": URGENT_EMAIL_ADVICE}


def body_words(message, kind: str) -> str:
    content = message.get_body((kind,)).get_content()
    return words(parse(content).text if kind == "html" else content)


@pytest.mark.parametrize("flag", RED_FLAGS, ids=[flag.code for flag in RED_FLAGS])
def test_red_flag_is_saved_urgent_and_advised_everywhere(flag, client, db, runner, smtp, app):
    response = post_enquiry(client, red_flags=[flag.code], consent_followup="y")
    assert response.status_code == 303

    enquiry = db.session.execute(select(Enquiry)).scalar_one()
    assert enquiry.red_flags == [flag.code]
    assert enquiry.urgency == flag.level
    assert enquiry.is_urgent
    # Consent to follow-up emails was given, yet no self-help may start without a doctor.
    assert enquiry.consent_followup is True
    assert enquiry.may_start_programme is False
    templates = db.session.execute(select(OutboxMessage.template).order_by(OutboxMessage.id))
    assert list(templates.scalars()) == ["enquiry_acknowledgement", "enquiry_notification"]

    main = main_of(client.get(response.headers["Location"]).text)
    first = main.elements[0]
    assert first.get("role") == "alert"
    assert ADVICE[flag.level] in words(first.text)
    assert "exercises" not in words(main.text)

    assert "sent 2" in send_due(runner)
    notice = smtp.to(app.config["CLINIC_NOTIFY_EMAIL"])[0]
    assert "URGENT" in notice["Subject"]
    for kind in ("plain", "html"):
        assert words(flag.question) in body_words(notice, kind)
    ack = smtp.to("sam@example.org")[0]
    for kind in ("plain", "html"):
        assert EMAIL_ADVICE[flag.level] in body_words(ack, kind)
        assert "exercises" not in body_words(ack, kind)


def test_emergency_and_urgent_together_count_as_emergency(client, db):
    response = post_enquiry(client, red_flags=["fever", "saddle_numbness", "cancer_history"])
    assert db.session.execute(select(Enquiry.urgency)).scalar_one() == "emergency"
    first = main_of(client.get(response.headers["Location"]).text).elements[0]
    assert EMERGENCY_ADVICE in words(first.text)


@pytest.mark.parametrize(
    "ticked, error",
    [
        (["none", "fever"], "you ticked 'none of these apply to me' and a symptom"),
        (None, "tick any that apply, or tick 'none of these apply to me'"),
    ],
    ids=["none-and-a-symptom", "nothing-ticked"],
)
def test_safety_check_needs_a_clear_answer(ticked, error, client):
    before = row_counts()
    response = post_enquiry(client, red_flags=ticked)
    assert response.status_code == 400
    page = parse(response.text)
    assert error in words(page.find(id="red_flags-error").text)
    assert page.find("a", href="#red_flags-0")
    # What was ticked is still ticked, so the person only has to untick one box.
    assert sorted(shown_values(response.text).get("red_flags", [])) == sorted(ticked or [])
    assert row_counts() == before
