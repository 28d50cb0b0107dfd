"""Email headers as bytes, written so that nothing a person typed can become a header of its own.

A typed value (a name, a subject, the desk's reply subject) is first put in its safe form
(`safe_text`): one line, with every control character and line or paragraph separator turned
into a space and white space collapsed. The safe form is then written in one of two ways only:

- printable ASCII without "=?" goes as it is (a display name as a quoted-string when it needs
  one), folded only at its own spaces, so that unfolding gives it back exactly;
- anything else is encoded in full as RFC 2047 encoded words by the standard library's encoder
  (email.header.Header), which escapes even a typed "=?": a reader decodes the safe form.

A typed value never reaches a parser that decodes encoded words. The standard library's own
writer (EmailMessage and Address under policy.SMTP) parses what it is given and writes what
the encoded words in it decode to, line breaks included, and it folds a long display name
with commas so that it reads as several addresses.

Values the code makes itself (Date, Message-ID, List-Unsubscribe, MIME types) must be
printable ASCII without "=?" already, and are refused otherwise. Addresses go in the ASCII
form the envelope uses (app.addresses.as_sent). Whatever is written, `check_block` checks the
whole header block before the message goes.
"""

import re
from email.header import Header

from app.addresses import as_sent

# Control characters (C0, DEL and C1, which holds NEL, U+0085), the line and paragraph
# separators, and lone surrogates (text that cannot be encoded).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SPECIALS = re.compile(r'[][\\()<>@,:;".]')  # RFC 5322: a display name with one is quoted
_PRINTABLE = re.compile(r"[ -~]*")
# RFC 5322 asks for lines of at most 78 characters, and allows at most 998.
_FOLD_AT = 78
_LONGEST_LINE = 998
_HEADER_LINE = re.compile(rb"([!-9;-~]+): [ -~]*|[ \t][ -~]*[!-~][ -~]*")


# A header's name, and the header as written (name, value and line breaks).
Written = tuple[str, bytes]


class HeaderRefused(ValueError):
    """A header that could not be written as intended; the message fails for good."""


def safe_text(text: str, limit: int | None = None) -> str:
    """A typed value as one line of text, cut to `limit` characters if one is given.

    Control characters, line and paragraph separators (CR, LF, VT, FF, U+0085, U+2028,
    U+2029 ...) become spaces, and every run of white space becomes one space.
    """
    text = " ".join(_UNSAFE.sub(" ", text).split())
    return text if limit is None else text[:limit].rstrip()


def typed(name: str, text: str) -> Written:
    """An unstructured header (Subject) holding the safe form of a typed value."""
    safe = safe_text(text)
    if _is_plain(safe):
        folded = _fold(name, safe.split(" "))
        if folded is not None:
            return name, folded
    return name, _fold_encoded(name, _encoded_words(name, safe))


def mailbox(name: str, display_name: str, address: str) -> Written:
    """An address header (To, From, Reply-To): the safe form of the display name, if any, and
    the address in ASCII. Raises UnsendableAddress for an address that cannot be sent."""
    address = as_sent(address)
    safe = safe_text(display_name)
    if not safe:
        return name, _fold_encoded(name, [address])
    if _is_plain(safe):
        phrase = _quoted(safe) if _SPECIALS.search(safe) else safe
        folded = _fold(name, [*phrase.split(" "), f"<{address}>"])
        if folded is not None:
            return name, folded
    return name, _fold_encoded(name, [*_encoded_words(name, safe), f"<{address}>"])


def fixed(name: str, value: str) -> Written:
    """A header whose value the code makes itself, written as it is (folded at its spaces)."""
    folded = None
    if _PRINTABLE.fullmatch(value) and "=?" not in value:
        folded = _fold(name, value.split(" "))
    if folded is None:
        raise HeaderRefused(f"the {name} header is not plain ASCII in lines that fit: {value!r}")
    return name, folded


def block(headers: list[Written]) -> bytes:
    """The headers as one header block, checked whole before it goes (see check_block)."""
    head = b"".join(written for _, written in headers)
    check_block(head, [name for name, _ in headers])
    return head


def check_block(block: bytes, names: list[str]) -> None:
    """Refuse a header block that is anything but the headers named, in that order.

    Every line is "Name: value" or a continuation beginning with a space or tab; printable
    ASCII only, no bare CR or LF, no empty line, at most 998 bytes; and the names are exactly
    `names`. What this module writes always passes: the check is there in case it ever does not.
    """
    if not block.endswith(b"\r\n"):
        raise HeaderRefused("the header block does not end with a line break")
    seen = []
    for line in block[:-2].split(b"\r\n"):
        match = _HEADER_LINE.fullmatch(line)
        if match is None or len(line) > _LONGEST_LINE:
            raise HeaderRefused(f"not a header line: {line[:100]!r}")
        if match[1] is not None:
            seen.append(match[1].decode("ascii"))
        elif not seen:
            raise HeaderRefused("the header block begins with a continuation line")
    if seen != names:
        raise HeaderRefused(f"the headers written were {seen}, not {names}")


def _is_plain(text: str) -> bool:
    # After safe_text, ASCII is printable ASCII.
    return text.isascii() and "=?" not in text


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _encoded_words(name: str, text: str) -> list[str]:
    """The whole text as RFC 2047 encoded words in UTF-8, each at most 75 characters; the
    spaces between them are not part of the text, those in it are encoded too."""
    return Header(text, "utf-8", header_name=name).encode().split()


def _fold(name: str, words: list[str]) -> bytes | None:
    """`name: ` and the words, a space between each, starting a new line before a word that
    would take the line past 78 characters. None if a line would still be over 998."""
    lines, line = [], f"{name}: {words[0]}"
    for word in words[1:]:
        if word and len(line) + 1 + len(word) > _FOLD_AT:
            lines.append(line)
            line = ""
        line += " " + word
    lines.append(line)
    if any(len(line) > _LONGEST_LINE for line in lines):
        return None
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _fold_encoded(name: str, words: list[str]) -> bytes:
    # Encoded words are at most 75 characters and an address at most 256: they always fit.
    folded = _fold(name, words)
    if folded is None:
        raise HeaderRefused(f"the {name} header does not fit in lines of 998 bytes")
    return folded
