"""The osteopath's written answer to an enquiry, sent to the patient through the outbox."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

from .enquiry import Enquiry
from .types import UTCDateTime, exported, not_exported


class EnquiryReply(db.Model):
    __tablename__ = "enquiry_reply"
    # Ids are in outbox keys: SQLite must never reuse one (see migration 0008).
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(
        primary_key=True, info=not_exported("a number for the clinic's own records")
    )
    enquiry_id: Mapped[int] = mapped_column(
        ForeignKey("enquiry.id", ondelete="CASCADE"), index=True,
        info=not_exported("the enquiry it is listed under"),
    )
    # A reply outlives the account that wrote it.
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True,
        info=not_exported("which desk account wrote it: the clinic's record of its staff"),
    )
    subject: Mapped[str] = mapped_column(String(200), info=exported("subject"))
    body: Mapped[str] = mapped_column(Text, info=exported("text"))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, info=exported("sent_at")
    )
    # Issued with the reply form; a second press of "Send" carries the same one and is ignored.
    form_token: Mapped[str] = mapped_column(
        String(64), unique=True,
        info=not_exported("a random key the form carried, to know it if sent twice"),
    )


# The desk lists new enquiries newest first. Declared here, with the desk's other schema,
# because the enquiry model belongs to the intake part; it can move into
# Enquiry.__table_args__ without a migration, since the name stays the same.
Index("ix_enquiry_status_created_at", Enquiry.status, Enquiry.created_at)
