"""Whatever is typed as a name, a subject or an address, every email the outbox sends arrives
with exactly its own headers, and each typed value reads back as its safe form.

Each example writes enquiries, booking requests, desk replies and messages enqueued directly
with very long values, through the services that write them, sends them all with one
send-due to the loopback SMTP server, and reads what arrives as a mail program would.
"""

import uuid
from dataclasses import dataclass

import time_machine
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.addresses import normalised
from app.bookings.requests import BookingRequest, request_appointment
from app.desk.enquiries.service import reply_to_enquiry
from app.enquiries.emails import NOTIFY
from app.enquiries.service import submit_enquiry
from app.extensions import db
from app.models import OutboxMessage
from app.outbox.headers import safe_text
from app.outbox.service import enqueue

from ..support.awkward import ascii_form, form_addresses, typed_text, very_long_text
from ..support.outbox import START, send_due, submission
from ..support.reading import header_names, mailbox

HEADERS = {"Content-Type", "Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted",
           "MIME-Version"}


@dataclass
class Typed:
    name: str  # as the enquiry and booking forms' columns take it
    subject: str  # as the desk's reply subject column takes it
    long_name: str  # any length: cut to the outbox's own limits
    long_subject: str
    email: str


cases = st.builds(Typed, typed_text(120, storable=True), typed_text(200, storable=True),
                  very_long_text(), very_long_text(), form_addresses())


FORGED = "Joanna Smithson-Whittington =?utf-8?q?Jo=0D=0AReply-To:_evil@example.net=0D=0A=0D=0A?="


@dataclass
class Expected:
    """What one email should read as, from what was typed."""

    to: tuple[str, str]
    subject: str
    reply_to: str | None = None


def write(typed: Typed, staff_id: int, clinic: str, notify: str) -> dict[str, Expected]:
    """Write one case's emails through the services, the address as the forms keep it;
    returns what each email should read as, by its key."""
    email = normalised(typed.email)
    enquiry = submit_enquiry(submission(name=typed.name, email=email))
    reply = reply_to_enquiry(enquiry.id, staff_id, typed.subject, "Thank you.", uuid.uuid4().hex)
    appointment = request_appointment(
        BookingRequest(patient_name=typed.name, email=email, preferred_times=["Any morning"],
                       consent_contact=True))
    enqueue(key=f"test:{enquiry.id}:long", template=NOTIFY, to=email, to_name=typed.long_name,
            subject=typed.long_subject, reply_to=email, enquiry_id=enquiry.id)
    db.session.commit()
    patient, name = ascii_form(typed.email), safe_text(typed.name, 120)
    return {
        # What a stranger's address can be sent carries nothing typed, the name included.
        f"enquiry:{enquiry.id}:acknowledgement": Expected(
            ("", patient), f"We have your enquiry | {clinic}"),
        f"enquiry:{enquiry.id}:notification": Expected(
            ("", notify), safe_text(f"New enquiry from {typed.name}: back pain", 250), patient),
        f"enquiry:{enquiry.id}:reply:{reply.id}": Expected(
            (name, patient), safe_text(typed.subject, 250), notify),
        f"appointment:{appointment.id}:requested": Expected(
            ("", patient), f"We have your appointment request | {clinic}"),
        f"appointment:{appointment.id}:clinic:requested:0": Expected(
            ("", notify), safe_text(f"New booking request: {typed.name}", 250), patient),
        f"test:{enquiry.id}:long": Expected(
            (safe_text(typed.long_name, 120), patient), safe_text(typed.long_subject, 250),
            patient),
    }


# Each example sends dozens of emails, so shrinking a failure would take many minutes: it is
# reported as generated (test_headers shrinks the same values at the header level).
@settings(max_examples=8, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(st.lists(cases, min_size=1, max_size=12))
@example([Typed(FORGED, FORGED, FORGED * 20, "x" * 1200, "jo@exämple.org")])
def test_typed_values_arrive_as_their_safe_form_in_exactly_the_headers_meant(
        runner, smtp, app, staff, typed_cases):
    smtp.reset()
    config = app.config
    expected = {}
    with time_machine.travel(START, tick=True):
        for typed in typed_cases:
            expected.update(write(typed, staff.id, config["CLINIC_NAME"],
                                  config["CLINIC_NOTIFY_EMAIL"]))
        keys = {row.message_id: row.idempotency_key for row in db.session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key.in_(expected))).scalars()}
        db.session.rollback()

        report = send_due(runner)

    assert report.strip() == f"sent {len(expected)}, retrying 0, failed 0, cancelled 0"
    assert len(smtp.received) == len(expected)
    for item in smtp.received:
        message = item.message
        wanted = expected[keys[message["Message-ID"]]]
        names = header_names(message)
        assert sorted(names) == sorted(HEADERS | ({"Reply-To"} if wanted.reply_to else set()))
        assert item.rcpt_tos == [wanted.to[1]]
        assert mailbox(message, "To") == wanted.to
        assert str(message["Subject"]) == wanted.subject
        if wanted.reply_to:
            assert mailbox(message, "Reply-To") == ("", wanted.reply_to)
        assert message.get_content_type() == "multipart/mixed"
