"""A message about something that no longer exists is cancelled, not sent and not failed."""

from sqlalchemy import select

from app.enquiries.service import submit_enquiry
from app.models import Enquiry
from app.outbox.dispatch import DispatchReport

from ..support.outbox import outbox_rows, send_due, submission


def test_emails_about_a_deleted_enquiry_are_cancelled_and_others_still_go(runner, smtp, db):
    """Deleting an enquiry before its emails go cancels both; another enquiry's emails are sent."""
    submit_enquiry(submission(email="kept@example.org"))
    gone_id = submit_enquiry(submission(email="gone@example.org")).id
    gone = db.session.execute(select(Enquiry).where(Enquiry.id == gone_id)).scalar_one()
    db.session.delete(gone)
    db.session.commit()

    assert send_due(runner).strip() == str(DispatchReport(sent=2, cancelled=2))

    rows = outbox_rows()
    cancelled = [row for row in rows if row.idempotency_key.startswith(f"enquiry:{gone_id}:")]
    sent = [row for row in rows if row not in cancelled]
    assert len(cancelled) == len(sent) == 2
    for row in cancelled:
        assert (row.status, row.sent_at) == ("cancelled", None)
        assert row.last_error == "nothing left to send about"
    assert [row.status for row in sent] == ["sent", "sent"]
    recipients = sorted(address for item in smtp.received for address in item.rcpt_tos)
    assert recipients == ["kept@example.org", "osteopath@clinic.example"]

    # Cancelled is final: a later run does not pick the rows up again.
    assert send_due(runner).strip() == str(DispatchReport())
