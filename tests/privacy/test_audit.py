"""The desk's pages about people write the audit log; the log holds no personal details."""

from sqlalchemy import select

from app.extensions import db
from app.models.privacy import AuditEntry

from ..support.desk import add_enquiry, post_form


def _entries() -> list[tuple[str, str, int | None]]:
    return [(e.action, e.subject_type, e.subject_id) for e in db.session.execute(
        select(AuditEntry).order_by(AuditEntry.id)).scalars()]


def test_opening_and_changing_an_enquiry_is_logged(desk):
    enquiry = add_enquiry()
    page = f"/admin/enquiries/{enquiry.id}"
    assert desk.get(page).status_code == 200
    post_form(desk, page, f"{page}/status", status="closed")
    assert desk.get(f"/admin/patients/{enquiry.id}").status_code == 200
    entries = _entries()
    assert ("view", "enquiry", enquiry.id) in entries
    assert ("change", "enquiry", enquiry.id) in entries
    assert ("view", "patient", enquiry.id) in entries
    for entry in db.session.execute(select(AuditEntry)).scalars():
        assert entry.staff_email == "osteopath@clinic.example"
        assert "Sam" not in entry.detail and "sam@example.org" not in entry.detail
