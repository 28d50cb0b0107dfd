"""A person's data, found by email address: gathered for export, or erased everywhere.

A person is everyone who wrote from one address: their enquiries (with the desk's replies,
their programme and check-ins), their appointments, and every email to or about them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, select, update

from app.database import clear_erased_from_files
from app.extensions import db
from app.models import Appointment, CheckIn, Enquiry, EnquiryReply, Enrolment, OutboxMessage
from app.models.outbox import CANCELLED, PENDING

from . import audit
from .export import describe

ERASED = "erased"


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
    much was removed. One transaction: all of it goes, or (on any error) none of it."""
    person = find_person(email)
    enquiry_ids = [e.id for e in person.enquiries]
    appointment_ids = [a.id for a in person.appointments]
    counts = {
        "enquiries": len(enquiry_ids),
        "appointments": len(appointment_ids),
        "emails": erase_messages(
            OutboxMessage.id.in_([m.id for m in person.messages])
        ) if person.messages else 0,
    }
    if appointment_ids:
        db.session.execute(delete(Appointment).where(Appointment.id.in_(appointment_ids)))
    if enquiry_ids:
        # Replies, the programme and its check-ins go with the enquiry (ON DELETE CASCADE);
        # deleted explicitly as well, so nothing rests on the database doing it.
        enrolments = select(Enrolment.id).where(Enrolment.enquiry_id.in_(enquiry_ids))
        db.session.execute(delete(CheckIn).where(CheckIn.enrolment_id.in_(enrolments)))
        db.session.execute(delete(Enrolment).where(Enrolment.enquiry_id.in_(enquiry_ids)))
        db.session.execute(delete(EnquiryReply).where(EnquiryReply.enquiry_id.in_(enquiry_ids)))
        db.session.execute(delete(Enquiry).where(Enquiry.id.in_(enquiry_ids)))
    audit.record("erase", "person", None, detail=", ".join(
        f"{number} {name}" for name, number in counts.items()), commit=False)
    db.session.commit()
    clear_erased_from_files()
    return counts
