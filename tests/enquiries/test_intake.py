"""A good enquiry: saved, acknowledged, notified, and the patient told what happens next."""

from sqlalchemy import select

from app.content.service import load_defaults
from app.models import Enquiry, OutboxMessage
from app.programme.service import enrolment_for

from ..support.enquiries import post_enquiry, row_counts
from ..support.outbox import send_due


def test_good_enquiry_is_saved_and_redirects_to_thanks(client, db):
    response = post_enquiry(client, path="/enquire?ref=ways-to-avoid-back-pain-part-2")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/enquire/thanks")

    enquiry = db.session.execute(select(Enquiry)).scalar_one()
    assert enquiry.name == "Sam Patel"
    assert enquiry.phone == "+447710466880"
    assert enquiry.triggers == ["long_sitting", "getting_out_of_car"]
    assert enquiry.pain_score == 6
    assert enquiry.urgency == "none"
    assert enquiry.source_ref == "ways-to-avoid-back-pain-part-2"
    assert enquiry.consent_followup is True
    assert enquiry.consent_version
    assert enquiry.created_at.utcoffset().total_seconds() == 0

    page = client.get(response.headers["Location"])
    assert "Thank you, we have your enquiry" in page.text
    assert "What happens next" in page.text
    assert "999" not in page.text.split("<main", 1)[1].split("</main>")[0]


def test_enquiry_writes_acknowledgement_and_notification_in_outbox(client, db, app):
    post_enquiry(client, consent_followup=None)
    rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert [row.template for row in rows] == ["enquiry_acknowledgement", "enquiry_notification"]
    assert rows[0].recipient == "sam@example.org"
    assert rows[1].recipient == app.config["CLINIC_NOTIFY_EMAIL"]
    assert all(row.status == "pending" for row in rows)
    assert row_counts() == {"enquiries": 1, "outbox": 2}


def test_emails_arrive_as_multipart_text_and_html(client, runner, smtp, app):
    post_enquiry(client, message="It hurts <b>here</b> & there", consent_followup=None)
    assert "sent 2" in send_due(runner)

    ack = smtp.to("sam@example.org")[0]
    # Flask-Mail wraps the text/html alternative in multipart/mixed.
    parts = [part.get_content_type() for part in ack.walk()]
    assert "multipart/alternative" in parts
    assert parts.count("text/plain") == 1 and parts.count("text/html") == 1
    assert "We have your enquiry" in ack["Subject"]
    assert ack["From"].addresses[0].addr_spec == app.config["MAIL_DEFAULT_SENDER"]
    assert ack["Message-ID"].endswith("@clinic.example>")
    assert ack["Auto-Submitted"] == "auto-generated"
    assert "back pain" in ack.get_body(("plain",)).get_content()
    assert "<p>Hello,</p>" in ack.get_body(("html",)).get_content()

    notice = smtp.to(app.config["CLINIC_NOTIFY_EMAIL"])[0]
    assert notice["Subject"].startswith("New enquiry from Sam Patel")
    assert notice["Reply-To"] == "sam@example.org"
    text = notice.get_body(("plain",)).get_content()
    assert "+447710466880" in text
    assert "Sitting for a long time, Getting in or out of a car" in text
    assert "It hurts <b>here</b> & there" in text
    html = notice.get_body(("html",)).get_content()
    assert "It hurts &lt;b&gt;here&lt;/b&gt; &amp; there" in html
    assert "<b>here</b>" not in html


def test_sending_twice_sends_nothing_more(client, runner, smtp):
    post_enquiry(client)
    first = send_due(runner)
    assert "sent 0" in send_due(runner)
    assert len(smtp.messages) == int(first.split()[1].rstrip(","))


def test_consent_to_follow_up_starts_nothing_until_the_address_is_confirmed(
    client, db, runner, smtp
):
    """The programme's own tests (tests/programme/test_confirm_address.py) press the link."""
    load_defaults()
    post_enquiry(client, triggers=["walking_uphill"])
    enquiry = db.session.execute(select(Enquiry)).scalar_one()
    assert enrolment_for(enquiry.id) is None
    assert "sent 2" in send_due(runner)  # the acknowledgement and the notification only
    subjects = [message["Subject"] for message in smtp.to("sam@example.org")]
    assert subjects == ["We have your enquiry | Body for Life Osteopathy"]
