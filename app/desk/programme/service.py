"""What the desk shows of the programme: who is due what, who has not answered, who is
getting worse, and one patient's timeline and chart.

Every list is a paginated query with its flags worked out in SQL, so a page costs the same
number of queries however many patients there are; its count stops at the cap in
app.pagination, so it costs the same time too.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select

from app.extensions import db
from app.models import CheckIn, Enquiry, Enrolment, OutboxMessage
from app.models.outbox import PENDING, SENT
from app.models.programme import ACTIVE, PAUSED
from app.pagination import Page, paginate
from app.programme.emails import CHECKIN, PATIENT_TEMPLATES

from .chart import Point

PAGE_SIZE = 25
FILTERS = {
    "running": "Running or paused",
    "due": "Due an email this week",
    "unanswered": "Not answered a check-in",
    "worse": "Getting worse",
    "all": "Everyone, including ended",
}


def _due_this_week(now: datetime):
    return exists().where(
        OutboxMessage.enquiry_id == Enrolment.enquiry_id,
        OutboxMessage.template.in_(PATIENT_TEMPLATES),
        OutboxMessage.status == PENDING,
        OutboxMessage.due_at.between(now, now + timedelta(days=7)),
    )


def _unanswered():
    sent = (
        select(func.count())
        .where(
            OutboxMessage.enquiry_id == Enrolment.enquiry_id,
            OutboxMessage.template == CHECKIN,
            OutboxMessage.status == SENT,
        )
        .scalar_subquery()
    )
    answered = (
        select(func.count()).where(CheckIn.enrolment_id == Enrolment.id).scalar_subquery()
    )
    return sent > answered


def _worse():
    return exists().where(
        CheckIn.enrolment_id == Enrolment.id,
        CheckIn.pain_score > Enrolment.pain_at_enrolment,
    )


@dataclass
class ProgrammeRow:
    enrolment: Enrolment
    enquiry: Enquiry
    due_this_week: bool
    unanswered: bool
    worse: bool

    def week(self, now: datetime) -> int:
        return min((now - self.enrolment.enrolled_at).days // 7, 6)


def programme_list(show: str, page: int, now: datetime) -> Page:
    """One page of enrolments with their flags, as ProgrammeRows; `show` is a key of FILTERS."""
    due, unanswered, worse = _due_this_week(now), _unanswered(), _worse()
    conditions = {
        "running": Enrolment.status.in_((ACTIVE, PAUSED)),
        "due": and_(Enrolment.status == ACTIVE, due),
        "unanswered": and_(Enrolment.status.in_((ACTIVE, PAUSED)), unanswered),
        "worse": worse,
    }
    newest_first = (Enrolment.enrolled_at.desc(), Enrolment.id.desc())
    # No join to the enquiry here: every enrolment has one (a non-null foreign key), and no
    # filter reads it.
    matching = select(Enrolment.id)
    if show in conditions:
        matching = matching.where(conditions[show])

    # Counted without the flags, and the flags worked out for the page's rows only: with them
    # in one query the database evaluated the three subqueries for every enrolment before
    # sorting, so the page slowed in step with the number of patients ever enrolled.
    def with_flags(window):
        page_ids = window.subquery()
        rows = db.session.execute(
            select(Enrolment, Enquiry, due.label("due"), unanswered.label("unanswered"),
                   worse.label("worse"))
            .join(Enquiry, Enquiry.id == Enrolment.enquiry_id)
            .where(Enrolment.id.in_(select(page_ids.c.id)))
            .order_by(*newest_first)
        ).all()
        return [ProgrammeRow(*row) for row in rows]

    return paginate(matching, newest_first, page, PAGE_SIZE, load=with_flags)


@dataclass
class TimelineEntry:
    at: datetime
    kind: str
    text: str
    status: str = ""


def patient_timeline(
    enquiry: Enquiry, enrolment: Enrolment | None, now: datetime
) -> list[TimelineEntry]:
    """Everything that happened to this person, oldest first; an email not yet due is
    "scheduled" rather than waiting."""
    entries = [TimelineEntry(enquiry.created_at, "enquiry", "Enquiry received")]
    emails = db.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.enquiry_id == enquiry.id)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
    ).scalars()
    for email in emails:
        status = "scheduled" if email.status == PENDING and email.due_at > now else email.status
        entries.append(
            TimelineEntry(email.sent_at or email.due_at, "email", email.subject, status)
        )
    if enrolment is not None:
        entries.append(TimelineEntry(enrolment.enrolled_at, "programme", "Enrolled"))
        for checkin in enrolment.checkins:
            entries.append(
                TimelineEntry(
                    checkin.answered_at, "checkin",
                    f"Week {checkin.week} check-in answered: pain {checkin.pain_score}/10, "
                    f"{checkin.sessions_per_week} days a week",
                )
            )
    return sorted(entries, key=lambda entry: entry.at)


def chart_points(enrolment: Enrolment) -> list[Point]:
    return [Point(0, enrolment.pain_at_enrolment)] + [
        Point(c.week, c.pain_score, c.sessions_per_week) for c in enrolment.checkins
    ]
