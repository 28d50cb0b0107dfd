"""Writing the desk's audit log: one call from each view that shows or changes health data.

    record("view", "enquiry", enquiry_id)

Called after the view's service has committed its change, the entry is committed on its own.
The privacy service passes commit=False so that an erasure and its entry commit together.
"""

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models.privacy import ACTIONS, AuditEntry


def record(action: str, subject_type: str, subject_id: int | None, detail: str = "",
           commit: bool = True) -> AuditEntry:
    """Log what the signed-in member of staff did (nobody, for the operator's commands)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    staff_id, staff_email = None, ""
    if has_request_context() and current_user.is_authenticated:
        staff_id, staff_email = current_user.id, current_user.email
    entry = AuditEntry(
        staff_id=staff_id, staff_email=staff_email, action=action,
        subject_type=subject_type, subject_id=subject_id, detail=detail[:200],
    )
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry


def recent_entries(limit: int) -> list[AuditEntry]:
    """The newest entries first, for the desk's privacy page."""
    return list(
        db.session.execute(
            select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        ).scalars()
    )
