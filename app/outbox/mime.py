"""Writing an outbox email as bytes: the MIME Flask-Mail's Message would send, for less.

Flask-Mail builds an email from the standard library's MIME classes and writes it under
`policy.SMTP`, whose generator parses every header of every part again on the way out; for
the outbox's emails that took as long as everything else about sending together. Every
outbox email has one shape, the one Flask-Mail gives a message with a text body, an HTML
alternative and attachments: multipart/mixed holding multipart/alternative (text, then
HTML), then each attachment in base64. This writes that shape directly. Every header is
checked for line breaks and folded: encoded words (a subject or name that is not ASCII) by
`policy.SMTP`, as the generator folded them, and plain ASCII at its spaces (see
_fold_at_spaces). Text that is not plain ASCII in short lines goes as quoted-printable, where
Flask-Mail sent it as 8-bit (see _text_part).
"""

import base64
import random
import re
from email import policy, quoprimime
from email.message import Message as HeaderBlock

from flask_mail import BadHeaderError

_FOLD = policy.SMTP
_CRLF = b"\r\n"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# RFC 5322 lets a line run to 998 characters; folding can only break it at whitespace.
_LONGEST_LINE = 998


def header(name: str, value: str) -> bytes:
    """One header, folded at spaces if long, refusing a value that would start another header.

    A value may come folded already (Flask-Mail's encoding of a long subject or name does
    that): each line after the first must then begin with white space, as a fold does.
    """
    first, *continued = _LINE_BREAK.split(value)
    if any(line[:1] not in (" ", "\t") or not line.strip() for line in continued):
        raise BadHeaderError(f"line break in the {name} header")
    value = first + "".join(continued)
    if value.isascii() and "=?" not in value:
        folded = _fold_at_spaces(f"{name}: ", value.split(" "))
        if folded is not None:
            return folded
    # Encoded words (a name or subject that is not ASCII) are refolded by the policy.
    return _FOLD.fold_binary(name, value)


def _fold_at_spaces(start: str, words: list[str]) -> bytes | None:
    """Plain ASCII folded at its spaces, which unfolding gives back exactly.

    The policy folds such a value too, but its folder drops the quotes around a long display
    name ("Smith, Jo … Hill" <jo@example.org> comes out as three addresses) and turns a long
    List-Unsubscribe <URL> into encoded words, which that header may not contain.
    """
    lines, line = [], start + words[0]
    for word in words[1:]:
        if word and len(line) + 1 + len(word) > _FOLD.max_line_length:
            lines.append(line)
            line = ""
        line += " " + word
    lines.append(line)
    if any(len(line) > _LONGEST_LINE for line in lines):
        return None
    return "\r\n".join(lines).encode("ascii") + _CRLF


def write(headers: list[tuple[str, str]], text: str, html: str, attachments=()) -> bytes:
    """The whole email: `headers` at the top, then the text and HTML alternatives, then any
    attachments (each with filename, content_type, data as bytes, and disposition)."""
    alternative = _multipart("alternative", [_text_part(text, "plain"), _text_part(html, "html")])
    parts = [alternative, *(_attachment_part(a) for a in attachments)]
    return _multipart("mixed", parts, [*headers, ("MIME-Version", "1.0")])


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
    return (
        header("Content-Type", f'text/{subtype}; charset="utf-8"')
        + header("Content-Transfer-Encoding", encoding)
        + _CRLF
        + body
    )


def _attachment_part(attachment) -> bytes:
    head = header("Content-Type", attachment.content_type) + header(
        "Content-Transfer-Encoding", "base64"
    )
    if attachment.filename is not None:
        filename = attachment.filename
        if not filename.isascii():
            filename = ("UTF8", "", filename)  # RFC 2231, as Flask-Mail writes it
        disposition = HeaderBlock()
        disposition.add_header("Content-Disposition", attachment.disposition, filename=filename)
        head += header("Content-Disposition", disposition["Content-Disposition"])
    body = base64.encodebytes(attachment.data).replace(b"\n", _CRLF)
    return head + _CRLF + body.removesuffix(_CRLF)


def _multipart(subtype: str, parts: list[bytes], headers: tuple | list = ()) -> bytes:
    boundary = _boundary(parts)
    delimiter = b"--" + boundary.encode("ascii")
    head = b"".join(header(name, value) for name, value in headers)
    # Written folded, as the policy folds it: the line would be longer than 78 characters.
    head = f'Content-Type: multipart/{subtype};\r\n boundary="{boundary}"\r\n'.encode() + head
    body = (_CRLF + delimiter + _CRLF).join(parts)
    return head + _CRLF + delimiter + _CRLF + body + _CRLF + delimiter + b"--" + _CRLF


def _boundary(parts: list[bytes]) -> str:
    while True:
        boundary = f"==============={random.getrandbits(96):024x}=="
        if not any(boundary.encode("ascii") in part for part in parts):
            return boundary
