"""Replying to an enquiry: recorded, put in the outbox in the same transaction, and sent."""

import pytest
from sqlalchemy import select

from app.models import Enquiry, EnquiryReply, OutboxMessage

from ...conftest import form_tokens
from ...support.desk import STAFF_EMAIL, add_enquiry, desk_counts
from ...support.outbox import send_due

MESSAGE = "Dear Sam,\n\nThank you for writing. I can see you on Tuesday.\n\nBest wishes"


def reply_form(desk, enquiry_id: int) -> dict:
    page = desk.get(f"/admin/enquiries/{enquiry_id}")
    assert page.status_code == 200
    return form_tokens(page.text)


def send_reply(desk, enquiry_id: int, tokens: dict, **fields):
    data = {**tokens, "subject": "About your back", "message": MESSAGE, **fields}
    return desk.post(f"/admin/enquiries/{enquiry_id}/reply", data=data)


def test_a_reply_reaches_the_patient(desk, db, runner, smtp, app):
    enquiry = add_enquiry("Sam Patel", "sam@example.org")
    send_due(runner)  # the acknowledgement and notification, out of the way
    smtp.reset()

    response = send_reply(desk, enquiry.id, reply_form(desk, enquiry.id))
    assert response.status_code == 303
    confirmation = desk.get(response.headers["Location"]).text
    assert "Your reply is on its way to sam@example.org." in confirmation

    db.session.expire_all()
    reply = db.session.execute(select(EnquiryReply)).scalar_one()
    assert (reply.subject, reply.body) == ("About your back", MESSAGE)
    assert db.session.get(Enquiry, enquiry.id).status == "replied"
    row = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.template == "enquiry_reply")
    ).scalar_one()
    assert (row.status, row.enquiry_id) == ("pending", enquiry.id)

    assert "sent 1" in send_due(runner)
    [email] = smtp.messages
    assert email["To"].addresses[0].addr_spec == "sam@example.org"
    assert email["To"].addresses[0].display_name == "Sam Patel"
    assert email["Subject"] == "About your back"
    assert email["Reply-To"] == app.config["CLINIC_NOTIFY_EMAIL"]
    assert "I can see you on Tuesday." in email.get_body(("plain",)).get_content()
    assert "I can see you on Tuesday." in email.get_body(("html",)).get_content()

    page = desk.get(f"/admin/enquiries/{enquiry.id}").text
    assert "About your back" in page and f"by {STAFF_EMAIL}" in page
    assert "email sent" in page


def test_pressing_send_twice_sends_one_reply(desk, db):
    enquiry = add_enquiry()
    tokens = reply_form(desk, enquiry.id)
    assert send_reply(desk, enquiry.id, tokens).status_code == 303
    assert send_reply(desk, enquiry.id, tokens).status_code == 303
    counts = desk_counts()
    assert counts["replies"] == 1
    assert counts["outbox"] == 3  # acknowledgement, notification, one reply


def test_html_in_a_reply_is_shown_as_text(desk, db, runner, smtp):
    enquiry = add_enquiry(email="sam@example.org")
    send_reply(desk, enquiry.id, reply_form(desk, enquiry.id), message="Use <b>ice</b> & rest")
    send_due(runner)
    reply = [m for m in smtp.to("sam@example.org") if m["Subject"] == "About your back"][0]
    html = reply.get_body(("html",)).get_content()
    assert "Use &lt;b&gt;ice&lt;/b&gt; &amp; rest" in html
    assert "<b>ice</b>" in reply.get_body(("plain",)).get_content()
    assert "&lt;b&gt;ice" in desk.get(f"/admin/enquiries/{enquiry.id}").text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subject": ""}, "Write a subject."),
        ({"message": "   "}, "Write your message."),
        ({"subject": "s" * 201}, "Keep the subject under 200 characters."),
        ({"message": "m" * 10_001}, "Keep the message under 10,000 characters."),
        ({"subject": "Hello\r\nBcc: everyone@example.org"}, "Use a single line of ordinary text."),
        ({"message": "bell \x07"}, "Remove the unusual characters"),
        ({"form_token": "not a token!"}, "Invalid input."),
    ],
)
def test_a_bad_reply_is_explained_and_changes_nothing(desk, db, fields, message):
    enquiry = add_enquiry()
    tokens = reply_form(desk, enquiry.id)
    before = desk_counts()
    response = send_reply(desk, enquiry.id, tokens, **fields)
    assert response.status_code == 400
    assert message in response.text
    assert desk_counts() == before


def test_a_reply_without_csrf_or_to_no_enquiry_changes_nothing(desk, db):
    enquiry = add_enquiry()
    tokens = reply_form(desk, enquiry.id)
    before = desk_counts()
    no_csrf = {key: value for key, value in tokens.items() if key != "csrf_token"}
    assert send_reply(desk, enquiry.id, no_csrf).status_code == 400
    missing = send_reply(desk, 424242, tokens)
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    assert desk_counts() == before
