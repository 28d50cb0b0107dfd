"""Markup typed into the form is the person's words, kept exactly and never run as code."""

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.models import Enquiry

from ..support.enquiries import post_enquiry, valid_answers
from ..support.outbox import send_due
from .pages import parse, shown_values

PAYLOAD = """<script>alert("x")</script><b onmouseover='steal()'>A & B</b>"""
TEXT_FIELDS = ["name", "location", "trigger_other", "message"]


def assert_inert(html: str) -> None:
    """The page runs nothing the person typed: no inline script, no event handler."""
    root = parse(html)
    assert PAYLOAD not in html
    assert all(script.get("src") for script in root.find_all("script"))
    assert not [node for node in root.iter() if "onmouseover" in node.attrs]


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_markup_is_stored_exactly_and_escaped_in_the_email(field, client, db, runner, smtp, app):
    assert post_enquiry(client, **{field: PAYLOAD}).status_code == 303
    assert getattr(db.session.execute(select(Enquiry)).scalar_one(), field) == PAYLOAD

    send_due(runner)
    notice = smtp.to(app.config["CLINIC_NOTIFY_EMAIL"])[0]
    html = notice.get_body(("html",)).get_content()
    assert str(escape(PAYLOAD)) in html
    assert PAYLOAD in parse(html).text
    assert_inert(html)
    # Plain text is not HTML: there the words must arrive untouched.
    assert PAYLOAD in notice.get_body(("plain",)).get_content()


def sent_to(smtp, address: str) -> list:
    """Messages by their SMTP envelope, which is right even when the To header is not."""
    return [item.message for item in smtp.received if address in item.rcpt_tos]


@pytest.mark.parametrize(
    "name", [PAYLOAD, "Win a prize at https://prize.example, just reply with your bank details"]
)
def test_the_acknowledgement_repeats_nothing_typed(name, client, runner, smtp):
    """Anyone can type any address: what is sent to it carries none of their words, neither
    in the greeting nor as the To header's name."""
    post_enquiry(client, name=name, location=name[:200], message=name)
    send_due(runner)
    ack = sent_to(smtp, "sam@example.org")[0]
    assert [(a.display_name, a.addr_spec) for a in ack["To"].addresses] == [
        ("", "sam@example.org")
    ]
    for part in ("plain", "html"):
        body = ack.get_body((part,)).get_content()
        assert name not in body and str(escape(name)) not in body
    assert_inert(ack.get_body(("html",)).get_content())


def test_markup_is_shown_back_as_text_on_the_returned_form(client):
    typed = {field: PAYLOAD for field in TEXT_FIELDS}
    response = post_enquiry(client, consent_contact=None, **typed)
    assert response.status_code == 400
    shown = shown_values(response.text)
    assert {field: shown[field] for field in TEXT_FIELDS} == typed
    assert_inert(response.text)
    assert valid_answers(**typed)["message"] == PAYLOAD
