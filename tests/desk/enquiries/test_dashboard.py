"""The dashboard: urgent enquiries first, then new ones, then emails that failed."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.desk.enquiries.service import dashboard
from app.extensions import db
from app.models import OutboxMessage
from tests.conftest import form_tokens, make_app
from tests.support.outbox import send_due
from tests.support.smtp import free_port

from ...support.desk import add_enquiry

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def order_in(text: str, names: list[str]) -> list[str]:
    return sorted(names, key=text.index)


def test_urgent_enquiries_come_first_emergencies_before_urgent(desk):
    add_enquiry("Old Emergency", red_flags=["both_legs"], created_at=START)
    add_enquiry("Plain Newest", created_at=START + timedelta(hours=5))
    add_enquiry("Urgent Newer", red_flags=["fever"], created_at=START + timedelta(hours=3))
    add_enquiry("New Emergency", red_flags=["bladder_bowel"], created_at=START + timedelta(hours=2))
    add_enquiry("Plain Older", created_at=START + timedelta(hours=1))
    add_enquiry("Answered Emergency", red_flags=["both_legs"], status="replied",
                created_at=START + timedelta(hours=4))
    add_enquiry("Plain Read", status="read", created_at=START + timedelta(hours=6))

    desk_view = dashboard()
    assert [e.name for e in desk_view.urgent.rows] == [
        "New Emergency", "Old Emergency", "Urgent Newer",
    ]
    assert [e.name for e in desk_view.new.rows] == ["Plain Newest", "Plain Older"]

    page = desk.get("/admin/").text
    urgent = section(page, "urgent-enquiries")
    assert '<span class="desk-count">3</span>' in urgent
    assert order_in(urgent, ["Urgent Newer", "Old Emergency", "New Emergency"]) == [
        "New Emergency", "Old Emergency", "Urgent Newer",
    ]
    assert "Emergency: told 999" in urgent and "Urgent: told 111" in urgent
    assert "Answered Emergency" not in page
    new = section(page, "new-enquiries")
    assert '<span class="desk-count">2</span>' in new
    assert order_in(new, ["Plain Older", "Plain Newest"]) == ["Plain Newest", "Plain Older"]
    assert "Plain Read" not in page
    assert page.index('id="urgent-enquiries"') < page.index('id="new-enquiries"')


def test_an_empty_desk_says_so(desk):
    page = desk.get("/admin/").text
    assert "Every email has been sent or is on its way." in page
    # Urgent, new, failed emails, booking requests and today's appointments.
    assert page.count('<span class="desk-count">0</span>') == 5


def fail_every_due_email(database_url: str) -> None:
    """Run the real sender against a port where no mail server listens, allowing one try."""
    db.session.remove()  # SQLite: let the other app's connection take the write lock
    broken = make_app(database_url, free_port(), OUTBOX_MAX_ATTEMPTS=1)
    with broken.app_context():
        send_due(broken.test_cli_runner())
        db.session.remove()
        db.engine.dispose()


def test_a_failed_email_is_shown_and_try_again_sends_it(desk, runner, smtp, database_url):
    add_enquiry("Sam Patel", email="sam@example.org")
    fail_every_due_email(database_url)
    failed = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.recipient == "sam@example.org")
    ).scalar_one()
    assert failed.status == "failed"

    page = desk.get("/admin/")
    emails = section(page.text, "failed-emails")
    assert '<span class="desk-count">2</span>' in emails
    assert "sam@example.org" in emails
    assert "We have your enquiry" in emails
    assert "connecting" in emails  # the last error, in the sender's words

    response = desk.post(f"/admin/emails/{failed.id}/retry", data=form_tokens(page.text))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).status == "pending"
    assert "will be sent again" in desk.get("/admin/").text

    assert "sent 1" in send_due(runner)
    assert smtp.to("sam@example.org")[0]["Subject"].startswith("We have your enquiry")
    page = desk.get("/admin/").text
    assert "sam@example.org" not in section(page, "failed-emails")

    # Pressing the old button again changes nothing and sends nothing.
    again = desk.post(f"/admin/emails/{failed.id}/retry", data=form_tokens(page))
    assert again.status_code == 303
    assert "no longer marked as failed" in desk.get("/admin/").text
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).status == "sent"


def test_try_again_needs_csrf_and_a_real_message(desk, database_url):
    add_enquiry()
    fail_every_due_email(database_url)
    message_id = db.session.scalars(select(OutboxMessage.id)).first()
    assert desk.post(f"/admin/emails/{message_id}/retry").status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message_id).status == "failed"

    page = desk.get("/admin/")
    missing = desk.post("/admin/emails/999999/retry", data=form_tokens(page.text))
    assert missing.status_code == 404
    assert "Page not found" in missing.text
