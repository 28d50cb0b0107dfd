"""An email waiting to go, going, sent or given up on: one row each."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

from .types import UTCDateTime, one_of

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CANCELLED = "cancelled"
STATUSES = (PENDING, SENDING, SENT, FAILED, CANCELLED)


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

    id: Mapped[int] = mapped_column(primary_key=True)
    # What makes a message unique, e.g. "enquiry:42:ack"; enqueuing it twice is refused.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(250))
    template: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    recipient_name: Mapped[str] = mapped_column(String(120), default="")
    reply_to: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(250))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    enquiry_id: Mapped[int | None] = mapped_column(ForeignKey("enquiry.id", ondelete="SET NULL"))

    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    refused_recipients: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
