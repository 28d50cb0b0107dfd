"""Taking in an enquiry: one transaction writes it and the emails it causes."""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.clinical.screening import urgency_of
from app.extensions import db
from app.models import Enquiry
from app.programme.service import pause_after_red_flag_in_transaction
from app.submission import first_saved
from app.timeutil import utcnow

from . import emails


@dataclass
class EnquirySubmission:
    name: str
    email: str
    problem: str
    location: str
    duration: str
    pain_score: int
    consent_contact: bool
    phone: str | None = None
    triggers: list[str] = field(default_factory=list)
    trigger_other: str = ""
    message: str = ""
    red_flags: list[str] = field(default_factory=list)
    wants_appointment: bool = False
    consent_followup: bool = False
    source_ref: str | None = None
    submission_key: str | None = None


class ConsentRequired(ValueError):
    """An enquiry cannot be kept without agreement to be contacted about it."""


@dataclass(frozen=True)
class Receipt:
    """What the thank-you page says about a saved enquiry. It is read before the commit, which
    expires the enquiry, so that saying thank you costs no second query. `followup` means a
    link to start the exercises was emailed: they start when the person presses it."""

    urgency: str
    wants_appointment: bool
    followup: bool
    book_url: str | None

    @classmethod
    def of(cls, enquiry: Enquiry) -> "Receipt":
        return cls(
            urgency=enquiry.urgency,
            wants_appointment=enquiry.wants_appointment,
            followup=enquiry.may_start_programme,
            book_url=emails.booking_link_for(enquiry),
        )


def submit_enquiry(submission: EnquirySubmission, now: datetime | None = None) -> Enquiry:
    """Save the enquiry and what it causes (see `receive_enquiry`); returns the enquiry."""
    return _save(submission, now)[0]


def receive_enquiry(submission: EnquirySubmission) -> Receipt:
    """Save an enquiry sent from the form; returns what to tell the person."""
    return _save(submission, None)[1]


def _save(submission: EnquirySubmission, now: datetime | None) -> tuple[Enquiry, Receipt]:
    """Save the enquiry with the patient's acknowledgement and the osteopath's notification.
    The programme is not started here: whoever typed the address may not own it, so the
    acknowledgement carries a link that starts it (app.programme.confirmation).

    Everything is committed together or not at all: the caller can say "thank you" only after
    this returns. The same form sent again (its `submission_key`) returns the enquiry it made
    the first time and adds nothing. `now` is for importing past enquiries and for tests; it
    defaults to the clock.
    """
    if not submission.consent_contact:
        raise ConsentRequired()
    now = now or utcnow()
    enquiry = Enquiry(
        name=submission.name,
        email=submission.email,
        phone=submission.phone or None,
        problem=submission.problem,
        location=submission.location,
        duration=submission.duration,
        triggers=list(submission.triggers),
        trigger_other=submission.trigger_other,
        pain_score=submission.pain_score,
        message=submission.message,
        wants_appointment=submission.wants_appointment,
        red_flags=list(submission.red_flags),
        urgency=urgency_of(submission.red_flags),
        consent_contact=True,
        consent_followup=submission.consent_followup,
        consent_version=current_app.config["CONSENT_WORDING_VERSION"],
        consent_at=now,
        source_ref=submission.source_ref or None,
        submission_key=submission.submission_key,
        created_at=now,
    )
    try:
        db.session.add(enquiry)
        db.session.flush()  # the emails' keys need the enquiry's id
        emails.enqueue_acknowledgement(enquiry)
        emails.enqueue_notification(enquiry)
        if enquiry.is_urgent:
            pause_after_red_flag_in_transaction(enquiry, now)
        receipt = Receipt.of(enquiry)
        db.session.commit()
    except IntegrityError as error:
        earlier = first_saved(Enquiry, submission.submission_key, error)
        return earlier, Receipt.of(earlier)
    except Exception:
        db.session.rollback()
        raise
    return enquiry, receipt
