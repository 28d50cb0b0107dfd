"""Reading an email's headers as a mail program does."""

import re
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses


def parsed(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def header_names(message: EmailMessage) -> list[str]:
    """Every header of the message as parsed, in order, repeats included."""
    return [name for name, _ in message.raw_items()]


def mailbox(message: EmailMessage, name: str) -> tuple[str, str]:
    """The display name and address of a header that holds one address (To, From, Reply-To).

    The address is the standard library's reading under policy.default. The display name is
    read from the raw header by the legacy parser and decoder, as RFC 2047 says: the modern
    parser keeps the white space between two adjacent encoded words in a display name
    (CPython gh-128110, fixed upstream), which RFC 2047 section 6.2 says to ignore and mail
    programs do ignore, so a long name encoded as several words would read with extra spaces.
    """
    [address] = message[name].addresses
    [raw] = [value for header, value in message.raw_items() if header == name]
    unfolded = re.sub(r"\r\n(?=[ \t])", "", raw)
    [(display_name, addr_spec)] = getaddresses([unfolded])
    display_name = str(make_header(decode_header(display_name)))
    assert addr_spec == address.addr_spec
    if len(_ENCODED_WORD.findall(raw)) < 2:  # where the modern parser reads right, it agrees
        assert address.display_name == display_name
    return display_name, address.addr_spec


_ENCODED_WORD = re.compile(r"=\?[^?]*\?[bBqQ]\?[^?]*\?=")
