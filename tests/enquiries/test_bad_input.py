"""Answers the form cannot take: each pointed out kindly, nothing typed lost, nothing saved."""

import pytest
from sqlalchemy import select
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from app.enquiries.forms import EnquiryForm
from app.models import Enquiry

from ..support.enquiries import post_enquiry, row_counts, valid_answers
from .pages import parse, words
from .refusals import assert_refused

# Read from the form itself, so a field given a limit later is tested without anyone remembering.
# The honeypot refuses any text at all (test_form_guards); the article reference is dropped.
LIMITS = {
    name: validator.max
    for name, field in vars(EnquiryForm).items()
    if isinstance(field, UnboundField) and name not in {"website", "ref"}
    for validator in field.kwargs.get("validators", [])
    if isinstance(validator, Length)
}


def too_long(field: str, limit: int) -> str:
    if field == "email":
        return "s" * (limit + 1 - len("@example.org")) + "@example.org"
    if field == "phone":
        return "7" * (limit + 1)
    return "x" * (limit + 1)


def refused(client, field: str, says: str, **overrides):
    before = row_counts()
    response = post_enquiry(client, **overrides)
    assert_refused(response, field, valid_answers(**overrides), says)
    assert row_counts() == before
    return response


def test_every_limited_text_field_is_covered():
    assert set(LIMITS) == {"name", "email", "phone", "location", "trigger_other", "message"}


@pytest.mark.parametrize("field, limit", sorted(LIMITS.items()))
def test_over_long_answer_is_refused_and_kept(field, limit, client):
    refused(client, field, f"{limit:,} characters", **{field: too_long(field, limit)})


@pytest.mark.parametrize(
    "email",
    ["sam", "sam@", "sam@example", "sam example@example.org", "sam@example.org, jo@example.org"],
)
def test_malformed_email_is_refused(email, client):
    refused(client, "email", "enter an email address like name@example.com", email=email)


@pytest.mark.parametrize("phone", ["123", "not a phone", "0771046688", "07710 4668801234"])
def test_malformed_phone_is_refused(phone, client):
    refused(client, "phone", "enter a phone number like 07710 466880", phone=phone)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("07710 466880", "+447710466880"),
        ("+44 7710 466880", "+447710466880"),
        ("+44 (0)7710 466880", "+447710466880"),
        ("020 7946 0018", "+442079460018"),
        ("0117 496 0123", "+441174960123"),
    ],
)
def test_uk_phone_numbers_are_stored_in_one_form(typed, stored, client, db):
    assert post_enquiry(client, phone=typed).status_code == 303
    assert db.session.execute(select(Enquiry.phone)).scalar_one() == stored


@pytest.mark.parametrize(
    "field, value",
    [
        ("problem", "surgery"),
        ("duration", "forever"),
        ("triggers", ["x"]),
        ("triggers", ["long_sitting", "x"]),
        ("red_flags", ["x"]),
        ("pain_score", "-1"),
        ("pain_score", "11"),
        ("pain_score", "ten"),
        ("pain_score", "5.5"),
    ],
)
def test_unknown_option_is_refused(field, value, client):
    refused(client, field, "choose from the answers shown", **{field: value})


@pytest.mark.parametrize(
    "field, says",
    [
        ("name", "enter your name"),
        ("email", "enter your email address"),
        ("problem", "choose the problem that fits best"),
        ("location", "tell us where you feel the pain or problem"),
        ("duration", "tell us how long you have had it"),
        ("pain_score", "choose a pain score from 0 to 10"),
        ("consent_contact", "we need your agreement to reply to your enquiry"),
    ],
)
def test_missing_answer_is_asked_for(field, says, client):
    response = refused(client, field, says, **{field: None})
    # One clear sentence, not a second technical one beside it.
    assert words(parse(response.text).find(id=f"{field}-error").text) == f"error: {says}."


@pytest.mark.parametrize("field", ["name", "email", "phone", "location", "trigger_other"])
@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_line_break_in_single_line_answer_is_refused(field, line_break, client):
    value = valid_answers(trigger_other="Driving")[field]
    mangled = f"{value[:4]}{line_break}Bcc: someone@example.net"
    refused(client, field, "use a single line of ordinary text", **{field: mangled})


def test_line_breaks_in_the_message_are_kept(client, db):
    message = "Worse in the morning.\r\nBetter by lunch."
    assert post_enquiry(client, message=message).status_code == 303
    assert db.session.execute(select(Enquiry.message)).scalar_one() == message


def test_body_over_the_size_limit_gets_a_clear_413_page(client, app):
    before = row_counts()
    response = post_enquiry(client, message="x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert response.status_code == 413
    main = parse(response.text).find("main")
    assert "too long" in words(main.text)
    assert "Traceback" not in response.text
    assert row_counts() == before


def test_an_address_no_mail_server_may_take_is_refused_with_a_clear_message(client):
    response = post_enquiry(client, email="jösé@example.org")
    assert response.status_code == 400
    assert "Enter an email address like name@example.com." in response.text
    assert row_counts() == {"enquiries": 0, "outbox": 0}
