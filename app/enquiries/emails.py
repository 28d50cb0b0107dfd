"""The emails an enquiry causes, and what each is rendered from when it is sent."""


from app.bookings.links import book_from_enquiry_token
from app.clinical import choices
from app.clinical.screening import questions_for
from app.extensions import db
from app.links import public_url
from app.models import URGENCY_EMERGENCY, URGENCY_URGENT, Enquiry, OutboxMessage
from app.outbox.service import to_clinic, to_patient
from app.programme.emails import confirm_address_url

ACK = "enquiry_acknowledgement"
NOTIFY = "enquiry_notification"


# Both are enqueued only in the transaction that creates the enquiry, so their keys are new.
def enqueue_acknowledgement(enquiry: Enquiry) -> OutboxMessage:
    """Anyone can type any address into the form, so what goes to it repeats nothing they
    typed (no name, not even in the To header): only the clinic's own words and links."""
    subject = "We have your enquiry"
    if enquiry.is_urgent:
        subject = "We have your enquiry - please read our urgent advice"
    return to_patient(
        key=f"enquiry:{enquiry.id}:acknowledgement",
        template=ACK,
        to=enquiry.email,
        subject=subject,
        enquiry_id=enquiry.id,
        fresh=True,
    )


def enqueue_notification(enquiry: Enquiry) -> OutboxMessage:
    about = choices.label_for(choices.PROBLEMS, enquiry.problem).lower()
    if enquiry.urgency == URGENCY_EMERGENCY:
        subject = f"URGENT (emergency symptoms): enquiry from {enquiry.name}"
    elif enquiry.urgency == URGENCY_URGENT:
        subject = f"URGENT (same-day advice given): enquiry from {enquiry.name}"
    else:
        subject = f"New enquiry from {enquiry.name}: {about}"
    return to_clinic(
        key=f"enquiry:{enquiry.id}:notification",
        template=NOTIFY,
        about=enquiry.email,
        subject=subject,
        enquiry_id=enquiry.id,
        fresh=True,
    )


def _enquiry_context(row: OutboxMessage) -> dict | None:
    if row.enquiry_id is None:
        return None
    # From the identity map when the worker has loaded the batch's enquiries together
    # (app.outbox.registry.preload); otherwise one query. None once the enquiry is gone.
    enquiry = db.session.get(Enquiry, row.enquiry_id)
    if enquiry is None:
        return None
    context = {"enquiry": enquiry, "answers": describe(enquiry),
               "book_url": booking_link_for(enquiry)}
    if row.template == ACK and enquiry.may_start_programme:
        context["confirm_url"] = confirm_address_url(enquiry.id)
    return context


def booking_link_for(enquiry: Enquiry) -> str | None:
    """A link to /book with the enquiry's details filled in, for those who asked for an
    appointment. None after a red-flag screen: they need urgent care first, and the osteopath
    will be in touch."""
    if not enquiry.wants_appointment or enquiry.is_urgent:
        return None
    return public_url("bookings.book", enquiry=book_from_enquiry_token(enquiry.id))


def describe(enquiry: Enquiry) -> dict:
    """The enquiry's answers in the words the form used."""
    return {
        "problem": choices.label_for(choices.PROBLEMS, enquiry.problem),
        "problem_phrase": choices.PROBLEM_PHRASES.get(enquiry.problem, "your problem"),
        "duration": choices.label_for(choices.DURATIONS, enquiry.duration),
        "triggers": [choices.label_for(choices.TRIGGERS, code) for code in enquiry.triggers],
        "red_flags": questions_for(enquiry.red_flags),
    }


# What each email is rendered from when it is sent: app/emails.py registers the table.
BUILDERS = {ACK: _enquiry_context, NOTIFY: _enquiry_context}
