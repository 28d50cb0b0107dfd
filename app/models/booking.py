"""Bookings: the clinic's diary settings, opening hours, closures and appointments."""

from datetime import datetime, time

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow

from .enquiry import Enquiry
from .types import UTCDateTime, exported, not_exported, one_of, substring_index

REQUESTED = "requested"
OFFERED = "offered"
CONFIRMED = "confirmed"
DECLINED = "declined"
CANCELLED = "cancelled"
APPOINTMENT_STATUSES = (REQUESTED, OFFERED, CONFIRMED, DECLINED, CANCELLED)
# Still waiting for the clinic or the patient; the desk's "to do" list.
OPEN_STATUSES = (REQUESTED, OFFERED)
# Marked by the osteopath once a confirmed appointment has started; NULL until then.
ATTENDED = "attended"
DID_NOT_ATTEND = "did_not_attend"
ATTENDANCE = (ATTENDED, DID_NOT_ATTEND)
BY_PATIENT = "patient"
BY_CLINIC = "clinic"


class BookingSettings(db.Model):
    """One row: how the diary is laid out. Missing, the defaults below apply."""

    __tablename__ = "booking_settings"
    __table_args__ = (
        CheckConstraint("appointment_minutes > 0", name="appointment_minutes_positive"),
        CheckConstraint(
            "buffer_minutes >= 0 AND minimum_notice_hours >= 0 AND hold_hours >= 0",
            name="not_negative",
        ),
        CheckConstraint("horizon_days > 0", name="horizon_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_minutes: Mapped[int] = mapped_column(default=45)
    buffer_minutes: Mapped[int] = mapped_column(default=15)
    minimum_notice_hours: Mapped[int] = mapped_column(default=24)
    # How far ahead patients may book online.
    horizon_days: Mapped[int] = mapped_column(default=56)
    # How long a patient's request keeps its slot from others while the osteopath decides:
    # long enough to span a working day, short enough that a slot is not kept for someone who
    # never meant it (docs/bookings.md says why 12).
    hold_hours: Mapped[int] = mapped_column(default=12)
    clinic_address: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OpeningPeriod(db.Model):
    """One stretch of opening on a weekday (0 = Monday), in the clinic's local wall-clock time."""

    __tablename__ = "opening_period"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int] = mapped_column(index=True)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class Closure(db.Model):
    """A time the clinic is shut (holiday, training); no slots are offered inside it."""

    __tablename__ = "closure"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="starts_before_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Slot computation asks for closures that have not ended yet.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")


class Appointment(db.Model):
    """A patient's request, an offer of times, or a booked appointment, from first ask to end.

    No two confirmed appointments may overlap: the database refuses it (an exclusion constraint
    on PostgreSQL, triggers on SQLite; see migration 0004), whatever the code above it does.
    """

    __tablename__ = "appointment"
    __table_args__ = (
        one_of("status", APPOINTMENT_STATUSES, name="status_known"),
        CheckConstraint(
            "(starts_at IS NULL AND ends_at IS NULL) OR starts_at < ends_at",
            name="times_in_order",
        ),
        CheckConstraint(
            "status <> 'confirmed' OR starts_at IS NOT NULL", name="confirmed_has_time"
        ),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        one_of("attendance", ATTENDANCE, name="attendance_known"),
        # The desk lists by status in time order; free slots read confirmed ones by time.
        Index("ix_appointment_status_starts_at", "status", "starts_at"),
        # What is still to come (free slots, a double-booking check) is what ends after now;
        # by start time the database would read every appointment ever kept.
        Index("ix_appointment_status_ends_at", "status", "ends_at"),
        # The desk's bookings list, newest first.
        Index("ix_appointment_created_at_id", "created_at", "id"),
        # The dashboard's patients asking to move their appointment, soonest first.
        Index("ix_appointment_reschedule_requested_starts_at", "reschedule_requested",
              "starts_at"),
        # The desk's search looks for its words anywhere in the name or the email address.
        substring_index("ix_appointment_patient_name_trgm", "patient_name"),
        substring_index("ix_appointment_email_trgm", "email"),
        # Ids are in emailed links and outbox keys: SQLite must never reuse one (see 0008).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True, info=exported("number"))
    status: Mapped[str] = mapped_column(String(10), default=REQUESTED, info=exported("status"))

    patient_name: Mapped[str] = mapped_column(String(120), info=exported("name"))
    email: Mapped[str] = mapped_column(String(254), index=True, info=exported("email"))
    phone: Mapped[str | None] = mapped_column(String(20), info=exported("phone"))  # E.164
    reason: Mapped[str] = mapped_column(Text, default="", info=exported("reason"))
    enquiry_id: Mapped[int | None] = mapped_column(
        ForeignKey("enquiry.id", ondelete="SET NULL"), index=True,
        info=exported("enquiry_number"),
    )

    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=exported("starts_at"))
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=exported("ends_at"))
    # Until then a request keeps its slot from other patients; afterwards it only waits.
    hold_until: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info=exported("slot_held_until")
    )
    # Up to three times in the patient's own words ("Tuesday mornings"), when no slot suited.
    preferred_times: Mapped[list[str]] = mapped_column(
        JSON, default=list, info=exported("preferred_times")
    )
    # ISO 8601 UTC starts the osteopath offered; the patient accepts one by its own link.
    offered_starts: Mapped[list[str]] = mapped_column(
        JSON, default=list, info=exported("times_offered")
    )

    decline_reason: Mapped[str] = mapped_column(
        String(500), default="", info=exported("decline_reason")
    )
    cancel_reason: Mapped[str] = mapped_column(
        String(500), default="", info=exported("cancel_reason")
    )
    cancelled_by: Mapped[str | None] = mapped_column(String(10), info=exported("cancelled_by"))
    reschedule_requested: Mapped[bool] = mapped_column(
        default=False, info=exported("reschedule_asked")
    )
    reschedule_note: Mapped[str] = mapped_column(
        String(1000), default="", info=exported("reschedule_note")
    )

    attendance: Mapped[str | None] = mapped_column(String(20), info=exported("attendance"))
    attendance_marked_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info=exported("attendance_marked_at")
    )

    # Calendars match every message about one event by UID and keep the highest SEQUENCE.
    ics_uid: Mapped[str] = mapped_column(
        String(200), unique=True, info=not_exported("the calendar's name for the event")
    )
    sequence: Mapped[int] = mapped_column(
        default=0, info=not_exported("how many times the calendar event has changed")
    )

    # The patient's agreement to be contacted and to have their details kept, with the
    # version of the words they agreed to; empty only for rows from before it was asked.
    consent_version: Mapped[str] = mapped_column(
        String(20), default="", info=exported("consent.wording_version")
    )
    consent_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info=exported("consent.given_at")
    )

    # Issued with the /book form; the same form sent again finds this request.
    submission_key: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True,
        info=not_exported("a random key the form carried, to know it if sent twice"),
    )
    # Who asked, as a keyed hash of their network address (never the address itself), kept
    # only while the request holds a slot: one client holds one slot at a time.
    client_hash: Mapped[str | None] = mapped_column(
        String(64), index=True,
        info=not_exported("a keyed hash that names no one without the clinic's secret"),
    )

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, info=exported("asked_at")
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, info=exported("last_changed_at")
    )

    enquiry: Mapped[Enquiry | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_finished(self) -> bool:
        """Declined or cancelled: nothing more can be done with it."""
        return self.status in (DECLINED, CANCELLED)


# A privacy request finds a person's appointments by address, in whatever case it was typed.
Index("ix_appointment_email_lower", func.lower(Appointment.email))
