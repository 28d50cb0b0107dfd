"""A patient on the six-week programme, and their check-in answers."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.policy import CHECKIN_WEEKS
from app.timeutil import utcnow

from .enquiry import Enquiry
from .types import UTCDateTime, one_of

ACTIVE = "active"
PAUSED = "paused"
STOPPED = "stopped"
UNSUBSCRIBED = "unsubscribed"
ENROLMENT_STATUSES = (ACTIVE, PAUSED, STOPPED, UNSUBSCRIBED)


class Enrolment(db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (
        one_of("status", ENROLMENT_STATUSES, name="status_known"),
        Index("ix_enrolment_status_enrolled_at", "status", "enrolled_at"),
        # The desk's programme list pages through every status, newest enrolment first.
        Index("ix_enrolment_enrolled_at_id", "enrolled_at", "id"),
        # Ids are in emailed links and outbox keys: SQLite must never reuse one (see 0008).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(
        ForeignKey("enquiry.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(14), default=ACTIVE)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    pain_at_enrolment: Mapped[int]
    parts: Mapped[list[str]] = mapped_column(JSON, default=list)
    part_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    parts_chosen_by: Mapped[str] = mapped_column(String(254), default="rules")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_reason: Mapped[str] = mapped_column(String(300), default="")

    enquiry: Mapped[Enquiry] = relationship()
    checkins: Mapped[list["CheckIn"]] = relationship(
        back_populates="enrolment", order_by="CheckIn.week"
    )


class CheckIn(db.Model):
    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "week", name="uq_checkin_enrolment_week"),
        one_of("week", CHECKIN_WEEKS, name="week_known"),
        CheckConstraint("pain_score BETWEEN 0 AND 10", name="pain_score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    week: Mapped[int]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sessions_per_week: Mapped[int]
    sets: Mapped[int]
    repetitions: Mapped[int]
    effort: Mapped[str] = mapped_column(String(12))
    knees_very_wide: Mapped[bool]
    weaker_side: Mapped[str] = mapped_column(String(8))
    band: Mapped[str] = mapped_column(String(80), default="")
    pain_score: Mapped[int]
    red_flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    advice: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    enrolment: Mapped[Enrolment] = relationship(back_populates="checkins")
