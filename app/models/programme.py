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
from .types import UTCDateTime, exported, not_exported, one_of

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

    id: Mapped[int] = mapped_column(
        primary_key=True, info=not_exported("a number for the clinic's own records")
    )
    enquiry_id: Mapped[int] = mapped_column(
        ForeignKey("enquiry.id", ondelete="CASCADE"), unique=True,
        info=not_exported("the enquiry it is listed under"),
    )
    status: Mapped[str] = mapped_column(String(14), default=ACTIVE, info=exported("status"))
    enrolled_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, info=exported("started_at")
    )
    pain_at_enrolment: Mapped[int] = mapped_column(info=exported("pain_at_start"))
    parts: Mapped[list[str]] = mapped_column(JSON, default=list, info=exported("article_parts"))
    part_reasons: Mapped[list[str]] = mapped_column(
        JSON, default=list, info=exported("why_those_parts")
    )
    parts_chosen_by: Mapped[str] = mapped_column(
        String(254), default="rules",
        info=not_exported("the rules or a desk account: the clinic's record of its staff"),
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info=exported("status_changed_at")
    )
    status_reason: Mapped[str] = mapped_column(
        String(300), default="", info=exported("status_reason")
    )

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

    id: Mapped[int] = mapped_column(
        primary_key=True, info=not_exported("a number for the clinic's own records")
    )
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True,
        info=not_exported("the programme it is listed under"),
    )
    week: Mapped[int] = mapped_column(info=exported("week"))
    answered_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, info=exported("answered_at")
    )
    sessions_per_week: Mapped[int] = mapped_column(info=exported("sessions_per_week"))
    sets: Mapped[int] = mapped_column(info=exported("sets"))
    repetitions: Mapped[int] = mapped_column(info=exported("repetitions"))
    effort: Mapped[str] = mapped_column(String(12), info=exported("effort"))
    knees_very_wide: Mapped[bool] = mapped_column(info=exported("knees_very_wide"))
    weaker_side: Mapped[str] = mapped_column(String(8), info=exported("weaker_side"))
    band: Mapped[str] = mapped_column(String(80), default="", info=exported("band"))
    pain_score: Mapped[int] = mapped_column(info=exported("pain_score"))
    red_flags: Mapped[list[str]] = mapped_column(
        JSON, default=list, info=exported("warning_signs_reported")
    )
    advice: Mapped[list[str]] = mapped_column(JSON, default=list, info=exported("advice_given"))
    notes: Mapped[str] = mapped_column(Text, default="", info=exported("notes"))

    enrolment: Mapped[Enrolment] = relationship(back_populates="checkins")
