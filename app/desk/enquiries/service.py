"""What the desk shows and does: the dashboard, finding enquiries, replying, failed emails."""

from dataclasses import dataclass, field

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from app.enquiries.emails import describe
from app.extensions import db
from app.models import (
    URGENCY_EMERGENCY,
    URGENCY_NONE,
    URGENCY_URGENT,
    Enquiry,
    EnquiryReply,
    OutboxMessage,
    StaffUser,
)
from app.models.enquiry import AWAITING_ANSWER, NEW, READ, REPLIED, STATUS_CHOICES
from app.models.outbox import FAILED
from app.models.types import contains_text, labelled_columns
from app.outbox.service import retry_failed
from app.pagination import Page, paginate

from . import emails

STATUS_LABELS = dict(STATUS_CHOICES)

SHOW_CHOICES = [("all", "All enquiries"), ("urgent", "Urgent only"), ("new", "New only")]
DASHBOARD_ROWS = 20
PAGE_SIZE = 25

NEWEST_FIRST = (Enquiry.created_at.desc(), Enquiry.id.desc())
EMERGENCY_FIRST = case((Enquiry.urgency == URGENCY_EMERGENCY, 0), else_=1)
# Named rather than "not none", so that the index on urgency can find them.
IS_URGENT = Enquiry.urgency.in_((URGENCY_URGENT, URGENCY_EMERGENCY))


@dataclass
class DeskSection:
    rows: list
    count: int


@dataclass
class Dashboard:
    urgent: DeskSection
    new: DeskSection
    failed_emails: DeskSection


def _section(statement, *conditions, order_by) -> DeskSection:
    count = db.session.scalar(
        select(func.count()).select_from(statement.where(*conditions).subquery())
    )
    rows = db.session.execute(
        statement.where(*conditions).order_by(*order_by).limit(DASHBOARD_ROWS)
    ).scalars().all()
    return DeskSection(rows=list(rows), count=count or 0)


def dashboard() -> Dashboard:
    return Dashboard(
        urgent=_section(
            select(Enquiry),
            IS_URGENT,
            Enquiry.status.in_(AWAITING_ANSWER),
            order_by=(EMERGENCY_FIRST, *NEWEST_FIRST),
        ),
        # Urgent ones are listed above already; each enquiry appears once.
        new=_section(
            select(Enquiry),
            Enquiry.status == NEW,
            Enquiry.urgency == URGENCY_NONE,
            order_by=NEWEST_FIRST,
        ),
        failed_emails=_section(
            select(OutboxMessage),
            OutboxMessage.status == FAILED,
            order_by=(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()),
        ),
    )


def find_enquiries(text: str = "", show: str = "all", page: int = 1) -> Page:
    """One page of enquiries, newest first; a page past the end comes back empty."""
    statement = select(Enquiry)
    if text:
        statement = statement.where(contains_text(text, Enquiry.name, Enquiry.email))
    if show == "urgent":
        statement = statement.where(IS_URGENT)
    elif show == "new":
        statement = statement.where(Enquiry.status == NEW)
    return paginate(statement, NEWEST_FIRST, page, PAGE_SIZE)


@dataclass
class ReplyShown:
    reply: EnquiryReply
    author: str
    email_status: str


@dataclass
class EnquiryPage:
    enquiry: Enquiry
    answers: dict
    replies: list[ReplyShown] = field(default_factory=list)
    # (attribute, label) of each answer the page lists, from the model.
    rows: list[tuple[str, str]] = field(default_factory=list)


def open_enquiry(enquiry_id: int) -> EnquiryPage | None:
    """The enquiry with its replies; a new one is marked read, since it has now been seen."""
    db.session.execute(
        update(Enquiry)
        .where(Enquiry.id == enquiry_id, Enquiry.status == NEW)
        .values(status=READ)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return enquiry_page(enquiry_id)


def enquiry_page(enquiry_id: int) -> EnquiryPage | None:
    enquiry = db.session.get(Enquiry, enquiry_id)
    if enquiry is None:
        return None
    rows = db.session.execute(
        select(EnquiryReply, StaffUser.email)
        .outerjoin(StaffUser, StaffUser.id == EnquiryReply.staff_id)
        .where(EnquiryReply.enquiry_id == enquiry_id)
        .order_by(EnquiryReply.created_at, EnquiryReply.id)
    ).all()
    keys = [emails.reply_key(reply) for reply, _ in rows]
    statuses = dict(
        db.session.execute(
            select(OutboxMessage.idempotency_key, OutboxMessage.status).where(
                OutboxMessage.idempotency_key.in_(keys)
            )
        ).all()
    ) if keys else {}
    replies = [
        ReplyShown(reply, author or "a former account", statuses.get(emails.reply_key(reply), ""))
        for reply, author in rows
    ]
    return EnquiryPage(enquiry=enquiry, answers=describe(enquiry), replies=replies,
                       rows=labelled_columns(Enquiry))


def reply_to_enquiry(
    enquiry_id: int, staff_id: int, subject: str, body: str, form_token: str
) -> EnquiryReply | None:
    """Record the reply and put its email in the outbox, in one transaction.

    Sending the same form twice (a double press of "Send") records and sends it once.
    """
    enquiry = db.session.get(Enquiry, enquiry_id)
    if enquiry is None:
        return None
    earlier = _reply_with_token(form_token)
    if earlier is not None:
        return earlier
    reply = EnquiryReply(
        enquiry_id=enquiry.id, staff_id=staff_id, subject=subject, body=body,
        form_token=form_token,
    )
    try:
        db.session.add(reply)
        db.session.flush()  # the email's key needs the reply's id
        emails.enqueue_reply(enquiry, reply)
        enquiry.status = REPLIED
        db.session.commit()
    except IntegrityError:
        # The same form, sent at the same moment, was recorded first.
        db.session.rollback()
        return _reply_with_token(form_token)
    except Exception:
        db.session.rollback()
        raise
    return reply


def _reply_with_token(form_token: str) -> EnquiryReply | None:
    return db.session.execute(
        select(EnquiryReply).where(EnquiryReply.form_token == form_token)
    ).scalar_one_or_none()


def set_status(enquiry_id: int, status: str) -> Enquiry | None:
    if status not in STATUS_LABELS:
        raise ValueError(status)
    enquiry = db.session.get(Enquiry, enquiry_id)
    if enquiry is None:
        return None
    enquiry.status = status
    db.session.commit()
    return enquiry


def retry_email(message_id: int) -> bool | None:
    """None when there is no such message; otherwise whether it was put back in the queue."""
    if db.session.get(OutboxMessage, message_id) is None:
        return None
    queued = retry_failed(message_id)
    db.session.commit()
    return queued
