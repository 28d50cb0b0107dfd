"""Bulk rows for the benchmarks and for the tests of long lists, written with SQLAlchemy Core
(fast) in the shapes the app itself writes: enquiries, their two emails, enrolments with
check-ins and check-in emails, and appointments.

The shape follows a clinic that has run for years: the newest few enquiries are new or read,
older ones replied or closed; one in fifty reported a red flag; half the others took up the
programme, which stays "active" after week six (the app has no "finished" state), with a few
stopped; a handful of emails failed. Most appointments were confirmed and are past, some
were declined or cancelled, and the newest few are still waiting for an answer.
"""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import Appointment, CheckIn, Enquiry, Enrolment, OutboxMessage

CHUNK = 5000
NEW_AT_THE_TOP = 30


def _message_id(key: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@clinic.example>"


def insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(table.insert(), rows[start:start + CHUNK])


def enquiries(count: int, now: datetime, spacing: timedelta) -> list[tuple[int, datetime, str]]:
    """`count` enquiries, the newest `spacing` before now; returns (id, created_at, urgency)."""
    rows = []
    for index in range(count):
        age = count - index
        created = now - spacing * age
        urgency = ("emergency", "urgent")[index % 2] if index % 50 == 7 else "none"
        status = "new" if age <= NEW_AT_THE_TOP else ("read" if age <= 60 else
                                                       ("replied", "closed")[index % 2])
        rows.append(dict(
            created_at=created, status=status, name=f"Patient {index}",
            email=f"patient{index}@example.org", phone=None, problem="back",
            location="Lower back", duration="6_weeks_to_3_months",
            triggers=["long_sitting"], trigger_other="", pain_score=index % 11,
            message="Worse in the mornings.", wants_appointment=False, red_flags=[],
            urgency=urgency, consent_contact=True, consent_followup=urgency == "none",
            consent_version="2026-11", consent_at=created, source_ref=None,
        ))
    insert(Enquiry.__table__, rows)
    return [tuple(row) for row in db.session.execute(
        db.select(Enquiry.id, Enquiry.created_at, Enquiry.urgency).order_by(Enquiry.id)
    )]


def enquiry_emails(made: list[tuple[int, datetime, str]], status: str, due: datetime | None = None,
                   fail_every: int = 0) -> None:
    rows = []
    for number, (enquiry_id, created, _) in enumerate(made):
        for kind in ("acknowledgement", "notification"):
            key = f"enquiry:{enquiry_id}:{kind}"
            failed = fail_every and number % fail_every == 3 and kind == "notification"
            rows.append(dict(
                idempotency_key=key, message_id=_message_id(key), template=f"enquiry_{kind}",
                recipient="patient@example.org" if kind == "acknowledgement"
                else "osteopath@clinic.example",
                recipient_name="A patient", reply_to=None, subject="We have your enquiry",
                context={}, enquiry_id=enquiry_id, status="failed" if failed else status,
                created_at=created, due_at=due or created, attempts=0 if due else 1,
                sent_at=created if status == "sent" and not failed else None,
                last_error="connection refused" if failed else None,
            ))
    insert(OutboxMessage.__table__, rows)


def programme(made: list[tuple[int, datetime, str]], now: datetime) -> None:
    """Enrol every second non-urgent enquiry, with the check-ins and emails its age implies."""
    enrolments = []
    for number, (enquiry_id, created, urgency) in enumerate(made):
        if urgency == "none" and number % 2 == 0:
            enrolments.append(dict(
                enquiry_id=enquiry_id, status="stopped" if number % 40 == 0 else "active",
                enrolled_at=created, pain_at_enrolment=6, parts=["hip-strength"],
                part_reasons=["default"], parts_chosen_by="rules", status_reason="",
            ))
    insert(Enrolment.__table__, enrolments)
    enrolled = db.session.execute(
        db.select(Enrolment.id, Enrolment.enquiry_id, Enrolment.enrolled_at)
    ).all()
    checkins, emails = [], []
    for enrolment_id, enquiry_id, enrolled_at in enrolled:
        for week in (2, 4, 6):
            due = enrolled_at + timedelta(weeks=week)
            key = f"checkin:{enrolment_id}:week-{week}"
            sent = due <= now
            emails.append(dict(
                idempotency_key=key, message_id=_message_id(key), template="programme_checkin",
                recipient="patient@example.org", recipient_name="A patient", reply_to=None,
                subject=f"Week {week} check-in", context={"week": week}, enquiry_id=enquiry_id,
                status="sent" if sent else "pending", created_at=enrolled_at, due_at=due,
                attempts=1 if sent else 0, sent_at=due if sent else None,
            ))
            if sent and (enrolment_id + week) % 3:
                checkins.append(dict(
                    enrolment_id=enrolment_id, week=week, answered_at=due + timedelta(hours=5),
                    sessions_per_week=4, sets=2, repetitions=10, effort="moderate",
                    knees_very_wide=False, weaker_side="left", band="", pain_score=5,
                    red_flags=[], advice=[], notes="",
                ))
    insert(OutboxMessage.__table__, emails)
    insert(CheckIn.__table__, checkins)


def appointments(count: int, now: datetime, spacing: timedelta) -> None:
    """`count` appointments asked for `spacing` apart, the newest `spacing` before now, each for
    three days after it was asked; named "Patient <n>" from the oldest, n = 0."""
    length = min(spacing, timedelta(minutes=45))  # confirmed ones may not overlap
    rows = []
    for index in range(count):
        age = count - index
        created = now - spacing * age
        starts = created + timedelta(days=3)
        status = "requested" if age <= NEW_AT_THE_TOP else (
            ("declined", "cancelled")[index % 2] if index % 10 == 3 else "confirmed")
        rows.append(dict(
            status=status, patient_name=f"Patient {index}", email=f"patient{index}@example.org",
            phone=None, reason="Low back pain", enquiry_id=None, starts_at=starts,
            ends_at=starts + length, hold_until=created + timedelta(hours=24),
            preferred_times=[], offered_starts=[], decline_reason="", cancel_reason="",
            cancelled_by="clinic" if status == "cancelled" else None,
            reschedule_requested=False, reschedule_note="", ics_uid=f"{uuid.uuid4()}@seed.example",
            sequence=0, consent_version="2026-11", consent_at=created, created_at=created,
            updated_at=created,
        ))
    insert(Appointment.__table__, rows)


def utc_now() -> datetime:
    return datetime.now(UTC)
