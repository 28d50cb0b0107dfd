"""An enquiry from a prospective patient, with the red-flag screen's answers."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

from .types import UTCDateTime, exported, not_exported, one_of, substring_index

URGENCY_NONE = "none"
URGENCY_URGENT = "urgent"  # 111 or the GP the same day
URGENCY_EMERGENCY = "emergency"  # 999 or A&E now
URGENCIES = (URGENCY_NONE, URGENCY_URGENT, URGENCY_EMERGENCY)

NEW, READ, REPLIED, CLOSED = "new", "read", "replied", "closed"
STATUS_CHOICES = [
    (NEW, "New"),
    (READ, "Read, not yet answered"),
    (REPLIED, "Replied"),
    (CLOSED, "Closed"),
]
# Replied and closed enquiries have had an answer, so they leave the dashboard.
AWAITING_ANSWER = (NEW, READ)


class Enquiry(db.Model):
    __tablename__ = "enquiry"
    __table_args__ = (
        CheckConstraint("pain_score BETWEEN 0 AND 10", name="pain_score_range"),
        one_of("urgency", URGENCIES, name="urgency_known"),
        # The desk lists urgent enquiries first, newest first within each group.
        Index("ix_enquiry_urgency_created_at", "urgency", "created_at"),
        # The desk's search looks for its words anywhere in the name or the email address.
        substring_index("ix_enquiry_name_trgm", "name"),
        substring_index("ix_enquiry_email_trgm", "email"),
        # Ids are in emailed links and outbox keys: SQLite must never reuse one (see 0008).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=exported("number"))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True, info=exported("sent_at")
    )
    status: Mapped[str] = mapped_column(String(20), default=NEW, info=exported("status"))

    name: Mapped[str] = mapped_column(String(120), info=exported("name"))
    email: Mapped[str] = mapped_column(String(254), info=exported("email"))
    # E.164, e.g. +447710466880
    phone: Mapped[str | None] = mapped_column(String(20), info=exported("phone"))

    # The person's answers. Those with a `label` are listed on the desk's enquiry page in this
    # order, under that label (templates/desk/enquiries/enquiry.html).
    problem: Mapped[str] = mapped_column(
        String(20), info=exported("problem", label="What is the problem?")
    )
    location: Mapped[str] = mapped_column(
        String(200), info=exported("where", label="Where do you feel it?")
    )
    duration: Mapped[str] = mapped_column(
        String(20), info=exported("how_long", label="How long have you had it?")
    )
    triggers: Mapped[list[str]] = mapped_column(
        JSON, default=list, info=exported("brought_on_by", label="What brings it on?")
    )
    trigger_other: Mapped[str] = mapped_column(
        String(200), default="",
        info=exported("brought_on_by", joins=True, label="Anything else that brings it on"),
    )
    pain_score: Mapped[int] = mapped_column(
        info=exported("pain_score", label="How bad is the pain at its worst (0 to 10)?")
    )
    red_flags: Mapped[list[str]] = mapped_column(
        JSON, default=list, info=exported("warning_signs_reported", label="Safety check")
    )
    message: Mapped[str] = mapped_column(
        Text, default="",
        info=exported("message", label="Anything else they would like us to know"),
    )
    wants_appointment: Mapped[bool] = mapped_column(
        default=False,
        info=exported("wants_appointment", label="Would also like to book an appointment"),
    )

    urgency: Mapped[str] = mapped_column(
        String(10), default=URGENCY_NONE, info=exported("urgency")
    )

    consent_contact: Mapped[bool] = mapped_column(info=exported("consent.contact"))
    consent_followup: Mapped[bool] = mapped_column(
        default=False,
        info=exported("consent.exercises_and_check_ins", label="Exercise and check-in emails"),
    )
    consent_version: Mapped[str] = mapped_column(
        String(20), info=exported("consent.wording_version")
    )
    consent_at: Mapped[datetime] = mapped_column(
        UTCDateTime, info=exported("consent.given_at", label="Agreed to be contacted")
    )

    source_ref: Mapped[str | None] = mapped_column(
        String(64), info=exported("came_from_article", label="Came from the article")
    )

    # When the person pressed the link in their acknowledgement (or the osteopath checked the
    # address with them): until then the address may be anyone's, and gets no programme.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info=exported("email_confirmed_at")
    )
    # Issued with the form; the same form sent again finds this enquiry instead of adding one.
    submission_key: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True,
        info=not_exported("a random key the form carried, to know it if sent twice"),
    )

    @property
    def is_urgent(self) -> bool:
        return self.urgency != URGENCY_NONE

    @property
    def may_start_programme(self) -> bool:
        """Self-help is sent only with consent and a clear red-flag screen."""
        return self.consent_followup and not self.is_urgent


# A person is found by their address in whatever case they typed it: a privacy request, and a
# red flag pausing the programme an earlier enquiry from the same address started.
Index("ix_enquiry_email_lower", func.lower(Enquiry.email))
