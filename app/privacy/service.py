"""A person's data, found by email address: gathered for export, or erased everywhere.

A person is everyone who wrote from one address: their enquiries (with the desk's replies,
their programme and check-ins), their appointments, and every email to or about them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, select, update

from app import audit
from app.database import clear_erased_from_files
from app.extensions import db
from app.models import Appointment, CheckIn, Enquiry, EnquiryReply, Enrolment, OutboxMessage
from app.models.outbox import CANCELLED, PENDING

from . import erasure_log
from .erasure_log import RecordNumbers
from .export import describe

ERASED = "erased"
CHUNK = 200


@dataclass
class Person:
    email: str
    enquiries: list[Enquiry] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.enquiries or self.appointments or self.messages)


def _same_address(column, email: str):
    return func.lower(column) == email.strip().lower()


def find_person(email: str) -> Person:
    email = email.strip().lower()
    enquiries = db.session.execute(
        select(Enquiry).where(_same_address(Enquiry.email, email)).order_by(Enquiry.id)
    ).scalars().all()
    appointments = db.session.execute(
        select(Appointment)
        .where(or_(_same_address(Appointment.email, email),
                   Appointment.enquiry_id.in_([e.id for e in enquiries])))
        .order_by(Appointment.id)
    ).scalars().all()
    messages = db.session.execute(
        select(OutboxMessage)
        .where(messages_about(email=email, enquiry_ids=[e.id for e in enquiries],
                              appointment_ids=[a.id for a in appointments]))
        .order_by(OutboxMessage.id)
    ).scalars().all()
    return Person(email, list(enquiries), list(appointments), list(messages))


def messages_about(*, email: str | None = None, enquiry_ids: Sequence[int] = (),
                   appointment_ids: Sequence[int] = ()):
    """Emails to the person, and the clinic's own notices about them (sent to the clinic,
    but naming them): by address, by enquiry, or by the appointment in the message's key."""
    conditions = [OutboxMessage.enquiry_id.in_(enquiry_ids)]
    if email is not None:
        conditions += [_same_address(OutboxMessage.recipient, email),
                       _same_address(OutboxMessage.reply_to, email)]
    conditions += [
        OutboxMessage.idempotency_key.startswith(f"appointment:{appointment_id}:")
        for appointment_id in appointment_ids
    ]
    return or_(*conditions)


def export_person(email: str) -> dict:
    """Everything held about the person, in plain names, for a subject access request."""
    person = find_person(email)
    data = describe(person)
    audit.record("export", "person", None, detail=summary(person))
    return data


def summary(person: Person) -> str:
    return (f"{len(person.enquiries)} enquiries, {len(person.appointments)} appointments, "
            f"{len(person.messages)} emails")


def erase_messages(condition) -> int:
    """Cancel what is still waiting, and blank what any of these emails said and to whom.

    The rows themselves stay, emptied: their keys (which hold only record numbers) keep a
    later retry or a repeated step from sending the same email again.
    """
    db.session.execute(
        update(OutboxMessage).where(condition, OutboxMessage.status == PENDING)
        .values(status=CANCELLED, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        update(OutboxMessage).where(condition)
        .values(recipient=ERASED, recipient_name="", reply_to=None, subject=ERASED,
                context={}, last_error=None, refused_recipients=None, enquiry_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def erase_person(email: str) -> dict[str, int]:
    """Remove every trace of the person; the audit log keeps only that it happened, and how
    much was removed, and the erasure log the record numbers. One transaction: all of it goes,
    or (on any error) none of it."""
    person = find_person(email)
    numbers = numbers_of(person)
    counts = {
        "enquiries": len(numbers.enquiry),
        "appointments": len(numbers.appointment),
        "emails": erase_messages(
            OutboxMessage.id.in_([m.id for m in person.messages])
        ) if person.messages else 0,
    }
    erase_records(numbers)
    audit.record("erase", "person", None, detail=", ".join(
        f"{number} {name}" for name, number in counts.items()), commit=False)
    db.session.commit()
    erasure_log.append(numbers)
    clear_erased_from_files()
    return counts


def numbers_of(person: Person) -> RecordNumbers:
    enquiry_ids = [e.id for e in person.enquiries]
    return RecordNumbers(
        enquiry=enquiry_ids,
        enquiry_reply=list(db.session.execute(select(EnquiryReply.id).where(
            EnquiryReply.enquiry_id.in_(enquiry_ids))).scalars()),
        enrolment=list(db.session.execute(select(Enrolment.id).where(
            Enrolment.enquiry_id.in_(enquiry_ids))).scalars()),
        appointment=[a.id for a in person.appointments],
    )


def erase_records(numbers: RecordNumbers) -> dict[str, int]:
    """Delete the appointments and enquiries these numbers name, with everything of each
    enquiry; returns how many of each were there. Their emails are the caller's."""
    appointments = db.session.execute(
        delete(Appointment).where(Appointment.id.in_(numbers.appointment))).rowcount
    # Replies, the programme and its check-ins go with the enquiry (ON DELETE CASCADE);
    # deleted explicitly as well, so nothing rests on the database doing it.
    enquiry_ids = numbers.enquiry
    enrolments = select(Enrolment.id).where(Enrolment.enquiry_id.in_(enquiry_ids))
    db.session.execute(delete(CheckIn).where(CheckIn.enrolment_id.in_(enrolments)))
    db.session.execute(delete(Enrolment).where(Enrolment.enquiry_id.in_(enquiry_ids)))
    db.session.execute(delete(EnquiryReply).where(EnquiryReply.enquiry_id.in_(enquiry_ids)))
    enquiries = db.session.execute(delete(Enquiry).where(Enquiry.id.in_(enquiry_ids))).rowcount
    return {"enquiries": enquiries, "appointments": appointments}


def erase_messages_about(enquiry_ids: Sequence[int], appointment_ids: Sequence[int]) -> int:
    """Empty every email about these enquiries and appointments (see erase_messages)."""
    emptied = erase_messages(messages_about(enquiry_ids=enquiry_ids))
    # A condition per appointment: a few hundred at a time keeps each statement small.
    for first in range(0, len(appointment_ids), CHUNK):
        emptied += erase_messages(messages_about(
            appointment_ids=appointment_ids[first:first + CHUNK]))
    return emptied
