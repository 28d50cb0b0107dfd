"""An email waiting to go, going, sent or given up on: one row each."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

from .types import UTCDateTime, exported, not_exported, one_of

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CANCELLED = "cancelled"
STATUSES = (PENDING, SENDING, SENT, FAILED, CANCELLED)
SENDING_ONLY = not_exported("the outbox's own bookkeeping of sending")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        one_of("status", STATUSES, name="status_known"),
        # Claiming reads due rows in order of due time, and expired leases.
        Index("ix_outbox_message_status_due_at", "status", "due_at"),
        Index("ix_outbox_message_status_lease_until", "status", "lease_until"),
        # One enquiry's emails, and which of them wait or have gone: the patient's timeline and
        # the programme list's flags (due this week, check-ins sent).
        Index("ix_outbox_message_enquiry_id_status_due_at", "enquiry_id", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=SENDING_ONLY)
    # What makes a message unique, e.g. "enquiry:42:ack"; enqueuing it twice is refused.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True, info=SENDING_ONLY)
    message_id: Mapped[str] = mapped_column(String(250), info=SENDING_ONLY)
    template: Mapped[str] = mapped_column(
        String(64), info=not_exported("which kind of email it is; its subject says so")
    )
    recipient: Mapped[str] = mapped_column(String(254), index=True, info=exported("to"))
    recipient_name: Mapped[str] = mapped_column(
        String(120), default="", info=exported("to_name")
    )
    reply_to: Mapped[str | None] = mapped_column(String(254), info=exported("reply_to"))
    subject: Mapped[str] = mapped_column(String(250), info=exported("subject"))
    context: Mapped[dict] = mapped_column(
        JSON, default=dict,
        info=not_exported("what the email is written from: the records exported with it"),
    )
    enquiry_id: Mapped[int | None] = mapped_column(
        ForeignKey("enquiry.id", ondelete="SET NULL"), info=exported("enquiry_number")
    )

    status: Mapped[str] = mapped_column(String(12), default=PENDING, info=exported("status"))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, info=exported("written_at")
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=exported("due_at"))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, info=SENDING_ONLY)
    claimed_by: Mapped[str | None] = mapped_column(String(64), info=SENDING_ONLY)
    attempts: Mapped[int] = mapped_column(default=0, info=SENDING_ONLY)
    last_error: Mapped[str | None] = mapped_column(Text, info=SENDING_ONLY)
    refused_recipients: Mapped[str | None] = mapped_column(Text, info=SENDING_ONLY)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=exported("sent_at"))
