"""The outbox writes its emails itself: what it writes reads exactly as Flask-Mail's Message
would, headers and parts, for the awkward names, subjects and attachments the clinic meets."""

from email.utils import formataddr

import pytest
from flask import current_app, render_template
from flask_mail import Message

from app.bookings import calendar
from app.enquiries.service import submit_enquiry
from app.models import OutboxMessage
from app.outbox import headers, mime
from app.outbox.registry import build_context
from app.outbox.render import Attachment, render_outgoing

from ..support.outbox import outbox_rows, submission
from ..support.reading import mailbox, parsed

NAMES = [
    "Zoë Ångström-Łukasiewicz, known to her friends and family as Zoë, of Little Snoring",
    "Smith, Jo (Dr) <jo@example.org>",
    'Sam "The Back" O\'Neil',
    "Samantha Jane Patel-Robinson, known to her friends and family as Sam, of Little Snoring "
    "on the Hill",
]


def shape(part, top: bool = True) -> dict:
    """A part as a reader sees it: every header decoded (boundaries aside, MIME-Version,
    which means something only at the top, and how the content travels), and the content."""
    left_out = {"content-type", "content-transfer-encoding"}
    if not top:
        left_out.add("mime-version")
    headers = {name: str(value) for name, value in part.items() if name.lower() not in left_out}
    if part.get_content_maintype() != "multipart":
        content = part.get_content()
        return {"headers": headers, "type": part["Content-Type"].content_type,
                "params": dict(part["Content-Type"].params), "content": content}
    params = {k: v for k, v in part["Content-Type"].params.items() if k != "boundary"}
    return {"headers": headers, "type": part.get_content_type(), "params": params,
            "parts": [shape(p, top=False) for p in part.iter_parts()]}


def flask_mail_bytes(row: OutboxMessage, context: dict) -> bytes:
    """What Flask-Mail's Message makes of the same row, with the To header the outbox has
    always written (the standard library's formataddr)."""
    config = current_app.config
    message = Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=render_template(f"email/{row.template}.txt", **context),
        html=render_template(f"email/{row.template}.html", **context),
        reply_to=row.reply_to,
        sender=(config["CLINIC_NAME"], config["MAIL_DEFAULT_SENDER"]),
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    message.msgId = row.message_id
    for attachment in context.get("attachments", ()):
        message.attach(attachment.filename, attachment.content_type, attachment.data)
    written = message._message()
    del written["To"]
    written["To"] = formataddr((row.recipient_name, row.recipient), "utf-8")
    return written.as_bytes()


def assert_reads_the_same(ours: bytes, theirs: bytes, but: tuple[str, ...] = ()) -> None:
    """The same headers and parts, but for the headers named (and Date: written a moment
    apart, both in the server's own zone)."""
    ours_shape, theirs_shape = shape(parsed(ours)), shape(parsed(theirs))
    for tree in (ours_shape, theirs_shape):
        for name in ("Date", *but):
            assert tree["headers"].pop(name)
    assert ours_shape == theirs_shape
    lines = ours.split(b"\r\n")
    assert b"\n" not in ours.replace(b"\r\n", b"")
    assert all(len(line) <= 998 for line in lines)


@pytest.mark.parametrize("name", NAMES, ids=["accents", "specials", "quotes", "long"])
def test_enquiry_emails_read_as_flask_mail_writes_them(app, name):
    """Both emails of an enquiry from an awkward name (its notification's subject carries the
    name too): every header and part is what Flask-Mail would send, and To is the one person,
    with the whole name (Flask-Mail's folding would make a long name with commas several)."""
    submit_enquiry(submission(name=name))
    for row in outbox_rows():
        outgoing = render_outgoing(row)
        context = build_context(row)
        context.setdefault("public_base_url", app.config["PUBLIC_BASE_URL"])
        assert_reads_the_same(outgoing.raw, flask_mail_bytes(row, context), but=("To",))
        To = mailbox(parsed(outgoing.raw), "To")
        assert To == (row.recipient_name, row.recipient)
        assert outgoing.recipients == [row.recipient]
        assert outgoing.sender == app.config["MAIL_DEFAULT_SENDER"]


@pytest.mark.parametrize("method", list(calendar.Method))
def test_an_ics_attachment_keeps_its_method_and_reads_as_flask_mail_writes_it(app, method):
    ics = f"BEGIN:VCALENDAR\r\nMETHOD:{method.value}\r\nSUMMARY:Zoë\r\nEND:VCALENDAR\r\n"
    attachment = Attachment("appointment.ics", calendar.content_type(method), ics.encode())
    written = [headers.typed("Subject", "Your appointment"),
               headers.mailbox("From", "", "clinic@clinic.example"),
               headers.mailbox("To", "", "ana@example.org"),
               headers.fixed("Date", "Mon, 1 Mar 2027 09:00:00 +0000"),
               headers.fixed("Message-ID", "<1@clinic.example>")]
    ours = mime.write(written, text="Hello Zoë", html="<p>Hello Zoë</p>", attachments=[attachment])

    theirs = Message(subject="Your appointment", recipients=["ana@example.org"],
                     sender="clinic@clinic.example", body="Hello Zoë", html="<p>Hello Zoë</p>",
                     date=0)
    theirs.msgId = "<1@clinic.example>"
    theirs.attach(attachment.filename, attachment.content_type, attachment.data)
    assert_reads_the_same(ours, theirs.as_bytes())
    [part] = [p for p in parsed(ours).walk() if p.get_content_type() == "text/calendar"]
    assert part["Content-Type"].params["method"] == method.value
    assert part.get_filename() == "appointment.ics"
    assert part.get_content() == ics


def test_a_long_list_unsubscribe_address_is_written_whole_not_encoded():
    """RFC 2369 readers look for <URL> in the raw header: it may not become encoded words."""
    url = "https://clinic.example/programme/unsubscribe/" + "x" * 120
    assert headers.fixed("List-Unsubscribe", f"<{url}>") == (
        "List-Unsubscribe", f"List-Unsubscribe: <{url}>\r\n".encode())
    long_subject = "Your appointment is confirmed: Monday 29 March 2027 | Body for Life"
    _, written = headers.typed("Subject", long_subject + " Osteopathy")
    assert written.count(b"\r\n ") == 1


@pytest.mark.parametrize("value", ["x\r\nBcc: evil@example.com", "x\nBcc: e", "x\rBcc: e",
                                   "x\u2028Bcc: e", "=?utf-8?q?x=0D=0ABcc:_e?="])
def test_a_value_the_code_makes_with_a_line_break_or_an_encoded_word_is_refused(value):
    """Typed values are made safe (see test_headers); the code's own values must be already."""
    with pytest.raises(headers.HeaderRefused):
        headers.fixed("List-Unsubscribe", value)


def test_text_beyond_ascii_or_a_very_long_line_goes_as_quoted_printable_and_reads_back():
    long_line = "My back hurts when I sit. " * 60  # one line of 1,560 characters
    for text in (long_line, "Zoë’s hip clicks.\nA second line.\n", long_line + "é"):
        raw = mime.write([headers.typed("Subject", "About you")], text, f"<p>{text}</p>")
        assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
        assert raw.isascii()
        plain, html = parsed(raw).get_payload()[0].get_payload()
        assert plain["Content-Transfer-Encoding"] == "quoted-printable"
        assert plain.get_content().replace("\r\n", "\n") == text
        assert html.get_content().replace("\r\n", "\n") == f"<p>{text}</p>"
    short = parsed(mime.write([headers.typed("Subject", "About you")], "Plain and short.",
                              "<p>x</p>"))
    assert short.get_payload()[0].get_payload()[0]["Content-Transfer-Encoding"] == "7bit"
