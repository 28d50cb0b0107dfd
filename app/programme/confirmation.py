"""The link in an enquiry's acknowledgement: the person shows the address is theirs, and the
programme they asked for starts (app.programme.routes.confirm_address is its page)."""

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Enquiry
from app.models.programme import Enrolment
from app.timeutil import utcnow

from .service import enrolment_for, later_red_flag, start_in_transaction, why_not_eligible


def why_not_started(enquiry: Enquiry) -> str | None:
    """Why the patient's own confirmation does not start the programme: the enquiry is not
    eligible, or a later enquiry from the same address reported a red-flag symptom (the
    osteopath is in touch first, as when a red flag pauses a running programme)."""
    reason = why_not_eligible(enquiry)
    if reason is None and later_red_flag(enquiry):
        reason = "A later enquiry from this address reported a red-flag symptom."
    return reason


def confirm_address(enquiry: Enquiry, now: datetime | None = None) -> Enrolment | None:
    """The person pressed the link in their acknowledgement, so the address is theirs: record
    when (the first press only), and start the programme if the enquiry still may (see
    `why_not_started`) and has not started it already. Returns the enrolment, if any;
    pressing again changes nothing."""
    now = now or utcnow()
    try:
        # Read everything first: the enrolment's flush (for its id) is then the first write,
        # and the stamp goes with its emails in the commit's.
        enrolment = enrolment_for(enquiry.id)
        if enrolment is None and why_not_started(enquiry) is None:
            enrolment = start_in_transaction(enquiry, now)
        if enquiry.email_confirmed_at is None:
            enquiry.email_confirmed_at = now
        db.session.commit()
    except IntegrityError:
        # The same press, sent twice at once, enrolled first.
        db.session.rollback()
        return enrolment_for(enquiry.id)
    except Exception:
        db.session.rollback()
        raise
    return enrolment
