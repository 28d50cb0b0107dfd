"""Taking in an enquiry: one transaction writes it and the emails it causes."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.clinical.screening import urgency_of
from app.extensions import db
from app.models import Enquiry
from app.programme.service import pause_after_red_flag_in_transaction
from app.submission import first_saved, record_from
from app.timeutil import utcnow

from . import emails


class EnquirySubmission:
    """One enquiry form's answers, each under the name of the `Enquiry` column it fills, so
    that a new question needs no change here (see `EnquiryForm.answers_for`)."""

    def __init__(self, **answers) -> None:
        self.answers = answers

    def get(self, name: str, default=None):
        return self.answers.get(name, default)


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
    if not submission.get("consent_contact"):
        raise ConsentRequired()
    now = now or utcnow()
    enquiry = record_from(
        Enquiry,
        {**submission.answers, "consent_contact": True},
        urgency=urgency_of(submission.get("red_flags", [])),
        consent_version=current_app.config["CONSENT_WORDING_VERSION"],
        consent_at=now,
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
        earlier = first_saved(Enquiry, submission.get("submission_key"), error)
        return earlier, Receipt.of(earlier)
    except Exception:
        db.session.rollback()
        raise
    return enquiry, receipt
