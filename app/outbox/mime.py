"""Writing an outbox email as bytes: the MIME Flask-Mail's Message would send, for less.

Flask-Mail builds an email from the standard library's MIME classes and writes it under
`policy.SMTP`, whose generator parses every header of every part again on the way out; for
the outbox's emails that took as long as everything else about sending together. Every
outbox email has one shape, the one Flask-Mail gives a message with a text body, an HTML
alternative and attachments: multipart/mixed holding multipart/alternative (text, then
HTML), then each attachment in base64. This writes that shape directly, with the headers
written by app.outbox.headers, and checks each header block whole before it goes. Text that
is not plain ASCII in short lines goes as quoted-printable, where Flask-Mail sent it as 8-bit
(see _text_part).
"""

import base64
import random
import re
from email import quoprimime
from email.message import Message as HeaderBlock

from .headers import Written, block, fixed

_CRLF = b"\r\n"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# RFC 5322 lets a line run to 998 characters.
_LONGEST_LINE = 998


def write(headers: list[Written], text: str, html: str, attachments=()) -> bytes:
    """The whole email: `headers` (as app.outbox.headers writes them) at the top, then the
    text and HTML alternatives, then any attachments (each with filename, content_type, data
    as bytes, and disposition).

    Raises HeaderRefused if a header block (the top one, or a part's) is anything but the
    headers meant, in well-formed lines.
    """
    alternative = _multipart("alternative", [_text_part(text, "plain"), _text_part(html, "html")])
    parts = [alternative, *(_attachment_part(a) for a in attachments)]
    return _multipart("mixed", parts, [*headers, fixed("MIME-Version", "1.0")])


def _text_part(text: str, subtype: str) -> bytes:
    body = _LINE_BREAK.sub("\r\n", text).encode("utf-8")
    if body.isascii() and all(len(line) <= _LONGEST_LINE for line in body.split(_CRLF)):
        encoding = "7bit"
    else:
        # Sent as 8-bit, text beyond ASCII needs a server that offers 8BITMIME, and a patient's
        # message or a reply can be one line longer than the 998 bytes a line may have:
        # quoted-printable is ASCII in short lines whatever the text, and reads back the same.
        encoding = "quoted-printable"
        body = quoprimime.body_encode(body.decode("latin-1"), eol="\r\n").encode("ascii")
    head = block([fixed("Content-Type", f'text/{subtype}; charset="utf-8"'),
                  fixed("Content-Transfer-Encoding", encoding)])
    return head + _CRLF + body


def _attachment_part(attachment) -> bytes:
    headers = [fixed("Content-Type", attachment.content_type),
               fixed("Content-Transfer-Encoding", "base64")]
    if attachment.filename is not None:
        filename = attachment.filename
        if not filename.isascii():
            filename = ("UTF8", "", filename)  # RFC 2231, as Flask-Mail writes it
        disposition = HeaderBlock()
        disposition.add_header("Content-Disposition", attachment.disposition, filename=filename)
        headers.append(fixed("Content-Disposition", disposition["Content-Disposition"]))
    body = base64.encodebytes(attachment.data).replace(b"\n", _CRLF)
    return block(headers) + _CRLF + body.removesuffix(_CRLF)


def _multipart(subtype: str, parts: list[bytes], headers: list[Written] = ()) -> bytes:
    boundary = _boundary(parts)
    delimiter = b"--" + boundary.encode("ascii")
    head = block([fixed("Content-Type", f'multipart/{subtype}; boundary="{boundary}"'), *headers])
    body = (_CRLF + delimiter + _CRLF).join(parts)
    return head + _CRLF + delimiter + _CRLF + body + _CRLF + delimiter + b"--" + _CRLF


def _boundary(parts: list[bytes]) -> str:
    while True:
        boundary = f"==============={random.getrandbits(96):024x}=="
        if not any(boundary.encode("ascii") in part for part in parts):
            return boundary
