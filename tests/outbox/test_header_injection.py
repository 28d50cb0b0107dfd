"""What a patient types cannot become a header or a recipient of the clinic's emails."""

import pytest

from app.enquiries.service import submit_enquiry
from app.outbox.dispatch import DispatchReport

from ..support.outbox import send_due, submission


def header_names(raw: bytes) -> list[str]:
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
    submit_enquiry(submission(name=f"Sam{line_break}Bcc: evil@example.com"))

    assert send_due(runner).strip() == str(DispatchReport(sent=2))

    envelopes = sorted(item.rcpt_tos for item in smtp.received)
    assert envelopes == [[app.config["CLINIC_NOTIFY_EMAIL"]], ["sam@example.org"]]
    for item in smtp.received:
        assert "bcc" not in header_names(item.raw)
        message = item.message
        assert "\r" not in message["Subject"] and "\n" not in message["Subject"]
        assert [address.addr_spec for address in message["To"].addresses] == item.rcpt_tos
    [notice] = smtp.to(app.config["CLINIC_NOTIFY_EMAIL"])
    assert notice["Subject"] == "New enquiry from Sam Bcc: evil@example.com: back pain"
