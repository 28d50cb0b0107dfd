"""The desk's audit log: who on the desk looked at, changed, exported or erased what, and when.

Entries name records by type and id only, never by a person's name, email or health details,
so the log can be kept after the person is erased and still says that the erasure happened.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

from .types import UTCDateTime

VIEW = "view"
CHANGE = "change"
EXPORT = "export"
ERASE = "erase"
PURGE = "purge"
ACTIONS = (VIEW, CHANGE, EXPORT, ERASE, PURGE)


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The account stays named even if it is later removed; None for the operator's commands.
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True
    )
    staff_email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(10))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int | None]
    # What was done, in a few words and numbers; never personal or health details.
    detail: Mapped[str] = mapped_column(String(200), default="")
