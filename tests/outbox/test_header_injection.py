"""What a patient types cannot become a header or a recipient of the clinic's emails."""

import pytest

from app.bookings.service import confirm
from app.enquiries.service import submit_enquiry
from app.outbox.dispatch import DispatchReport

from ..bookings.helpers import MONDAY_9AM_BST, SPRING_NOW, ask_for, ics_of
from ..support.outbox import BEFORE_START, START, at, outbox_rows, send_due, submission
from ..support.reading import header_names, mailbox

pytestmark = BEFORE_START

HEADERS = ["Content-Type", "Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted",
           "MIME-Version"]
NOTIFICATION_HEADERS = [*HEADERS[:6], "Reply-To", *HEADERS[6:]]


def raw_header_names(raw: bytes) -> list[str]:
    """The header names as they stand in the raw message, before any parser tidies them."""
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    return [
        line.split(b":", 1)[0].decode().lower()
        for line in head.split(b"\n")
        if line and not line[:1].isspace()
    ]


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_a_line_break_in_the_name_adds_no_header_and_no_recipient(runner, smtp, app, line_break):
    """An enquiry from "Sam<line break>Bcc: evil@example.com", written through the service as
    a script would, still sends both emails, each to its one intended recipient, with no Bcc
    header and a Subject that is one line."""
    submit_enquiry(submission(name=f"Sam{line_break}Bcc: evil@example.com"), now=START)

    assert send_due(runner, at(START)).strip() == str(DispatchReport(sent=2))

    envelopes = sorted(item.rcpt_tos for item in smtp.received)
    assert envelopes == [[app.config["CLINIC_NOTIFY_EMAIL"]], ["sam@example.org"]]
    for item in smtp.received:
        assert "bcc" not in raw_header_names(item.raw)
        message = item.message
        assert "\r" not in message["Subject"] and "\n" not in message["Subject"]
        assert [address.addr_spec for address in message["To"].addresses] == item.rcpt_tos
    [notice] = smtp.to(app.config["CLINIC_NOTIFY_EMAIL"])
    assert notice["Subject"] == "New enquiry from Sam Bcc: evil@example.com: back pain"


# Long enough that the notification's subject is folded, where the fault was.
ENCODED_LINE_BREAKS = {
    "forged-reply-to": "Joanna Smithson-Whittington of Little Snoring "
                       "=?utf-8?q?Jo=0D=0AReply-To:_evil@example.net?=",
    "blank-line": "Joanna Smithson-Whittington of Little Snoring =?utf-8?q?Jo=0D=0A=0D=0AX:_y?=",
    "base64-bcc": "Joanna Smithson-Whittington of Little Snoring "
                  "=?UTF-8?B?Sm8NCkJjYzogZXZpbEBleGFtcGxlLm5ldA==?=",
    "latin-1": "Joanna Smithson-Whittington of Little Snoring "
               "=?iso-8859-1?Q?Jo=0D=0ACc:_evil@example.net?=",
}


@pytest.mark.parametrize("name", ENCODED_LINE_BREAKS.values(), ids=ENCODED_LINE_BREAKS.keys())
def test_an_encoded_word_that_decodes_to_a_line_break_adds_no_header(runner, smtp, app, name):
    """A name holding an encoded word that decodes to CR LF (a forged Reply-To, a blank line
    that would push the headers into the body): both emails are sent, each with exactly its
    own headers; the name reads back exactly as typed in the osteopath's notification, and the
    patient's acknowledgement carries nothing typed (a stranger's address could be given).
    A name in a To header is read back in tests/outbox/test_header_property.py."""
    submit_enquiry(submission(name=name), now=START)

    assert send_due(runner, at(START)).strip() == str(DispatchReport(sent=2))

    notify = app.config["CLINIC_NOTIFY_EMAIL"]
    [acknowledgement] = [item for item in smtp.received if item.rcpt_tos == ["sam@example.org"]]
    [notification] = [item for item in smtp.received if item.rcpt_tos == [notify]]
    assert header_names(acknowledgement.message) == HEADERS
    assert header_names(notification.message) == NOTIFICATION_HEADERS
    assert mailbox(acknowledgement.message, "To") == ("", "sam@example.org")
    assert notification.message["Subject"] == f"New enquiry from {name}: back pain"
    assert mailbox(notification.message, "Reply-To") == ("", "sam@example.org")
    assert notification.message.get_content_type() == "multipart/mixed"


def test_an_address_that_cannot_be_sent_fails_at_once_saying_why(runner, smtp, app):
    """An address no form would take, written by a script: its email is not tried again and
    again, it fails at once, and the osteopath's notification still goes, without a Reply-To
    that could not be sent to."""
    enquiry = submit_enquiry(submission(email="zoë@example.org"), now=START)

    assert send_due(runner, at(START)).strip() == str(DispatchReport(sent=1, failed=1))

    [acknowledgement] = outbox_rows([f"enquiry:{enquiry.id}:acknowledgement"])
    assert acknowledgement.status == "failed" and acknowledgement.attempts == 1
    assert acknowledgement.last_error.startswith("bad address: 'zoë@example.org'")
    [notification] = smtp.received
    assert notification.rcpt_tos == [app.config["CLINIC_NOTIFY_EMAIL"]]
    assert header_names(notification.message) == HEADERS


def test_a_header_the_code_cannot_write_fails_the_message_at_once_saying_why(runner, smtp, app):
    """Defence in depth: a Message-ID domain with a line break (a setting gone wrong) is never
    written into the email; the message fails for good, with the reason, and nothing is sent."""
    app.config["MAIL_MESSAGE_ID_DOMAIN"] = "clinic.example\r\nBcc: evil@example.net"
    submit_enquiry(submission(), now=START)

    assert send_due(runner, at(START)).strip() == str(DispatchReport(failed=2))

    for row in outbox_rows():
        assert row.status == "failed" and row.attempts == 1
        assert row.last_error.startswith("bad header: the Message-ID header is not plain ASCII")
    assert smtp.received == []



@pytest.mark.parametrize("control", ["\x08", "\x0b", "\x1f", "\x7f"])
@pytest.mark.time_machine(SPRING_NOW, tick=False)
def test_a_control_character_in_the_name_cannot_drop_the_attendee_from_the_invitation(
        runner, smtp, control):
    """The .ics attached to a confirmation names the patient as the email's To does, in its
    safe form: a control character written by a script (the forms refuse them) would make
    the ATTENDEE line invalid, and calendar programs would drop it."""
    name = f"Ana{control}Silva"
    appointment = ask_for(MONDAY_9AM_BST, SPRING_NOW, name=name)
    confirm(appointment, now=SPRING_NOW)

    send_due(runner, at(SPRING_NOW))

    [confirmation] = [m for m in smtp.messages if m["Subject"].startswith("Your appointment is")]
    assert mailbox(confirmation, "To") == ("Ana Silva", "ana@example.org")
    [event] = ics_of(confirmation).events
    assert event["ATTENDEE"].params["CN"] == "Ana Silva"
    assert str(event["ATTENDEE"]) == "mailto:ana@example.org"
