"""`flask privacy purge`: old enquiries that never became patients go, with their emails."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Appointment, Enquiry, OutboxMessage
from app.models.booking import CONFIRMED
from app.models.outbox import PENDING
from app.models.privacy import AuditEntry

from ..support.desk import add_enquiry
from ..support.programme import patient_on_programme
from .helpers import traces

NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)
RECENT = NOW - timedelta(days=300)


def _ids() -> set[int]:
    return set(db.session.execute(select(Enquiry.id)).scalars())


def test_purge_deletes_only_old_enquiries_that_led_nowhere(runner):
    old = add_enquiry(name="Olive Gone", email="olive@example.org", created_at=OLD).id
    recent = add_enquiry(name="Rita Recent", email="rita@example.org", created_at=RECENT).id
    patient = patient_on_programme(OLD, name="Pat Kept", email="pat@example.org").enquiry_id
    booked = add_enquiry(name="Bo Booked", email="bo@example.org", created_at=OLD)
    db.session.add(Appointment(
        status=CONFIRMED, patient_name="Bo Booked", email="bo@example.org",
        enquiry_id=booked.id, starts_at=OLD + timedelta(days=3),
        ends_at=OLD + timedelta(days=3, hours=1), ics_uid="bo@test",
    ))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.enquiry_id == old, OutboxMessage.status == PENDING))

    dry = runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat(), "--dry-run"])
    assert "1 enquiries would be deleted" in dry.output and old in _ids()

    result = runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _ids() == {recent, patient, booked.id}
    assert traces("Olive Gone", "olive@example.org") == []
    assert traces("Rita Recent") and traces("Pat Kept") and traces("Bo Booked")
    entry = db.session.execute(select(AuditEntry)).scalar_one()
    assert entry.action == "purge" and entry.detail.startswith("1 enquiries")


def test_the_retention_period_is_a_setting(app, runner):
    app.config["RETENTION_MONTHS"] = 6
    recent = add_enquiry(created_at=RECENT).id
    runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat()])
    assert recent not in _ids()


def test_the_privacy_page_says_the_period_and_can_be_the_clinics_own(app, client, tmp_path):
    assert "after 12 months" in client.get("/privacy").text
    notice = tmp_path / "privacy.txt"
    notice.write_text("Our own words.\n\nA second <paragraph>.", encoding="utf-8")
    app.config["PRIVACY_NOTICE_FILE"] = str(notice)
    page = client.get("/privacy").text
    assert "<p>Our own words.</p>" in page and "&lt;paragraph&gt;" in page
    assert "after 12 months" not in page
