"""Email addresses: one rule for every form that takes one and for the outbox that sends to it.

The clinic's mail server may not offer SMTPUTF8, so an address goes out in ASCII: a domain
beyond ASCII is converted with IDNA (jo@exämple.org goes to jo@xn--exmple-cua.org), which any
server takes, while a local part beyond ASCII cannot be sent at all. Forms keep an address in
its normalised form (email_validator's: the domain in lower case, written as the person would
recognise it); the outbox converts it to ASCII when it writes the envelope and the headers.
"""

import re

from email_validator import EmailNotValidError, validate_email

NOT_AN_ADDRESS = "Enter an email address like name@example.com."
CANNOT_SEND = (
    "Enter an email address like name@example.com. Our email cannot reach an address with "
    "letters other than a to z before the @: please give another one."
)

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9-]+"
# A dot-atom local part and a domain of plain labels: one token, the same in the SMTP envelope
# and in a header, which no reader can take for two addresses or for a display name.
_SENDABLE = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")
_LONGEST = 254  # RFC 5321's limit on a path, less its angle brackets


class UnsendableAddress(ValueError):
    """The clinic's email cannot go to this address; the message says why."""


def normalised(text: str, sendable: bool = True) -> str:
    """The address as a form keeps it.

    Raises UnsendableAddress, in words for the person who typed it, for anything that is not
    an email address or (`sendable`) that the outbox could not send to: so nothing a form
    accepts fails when it is sent. A form that only looks an address up (signing in, finding
    a person's data) passes `sendable=False`.
    """
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        raise UnsendableAddress(NOT_AN_ADDRESS) from None
    if sendable:
        if checked.ascii_email is None:
            raise UnsendableAddress(CANNOT_SEND)
        try:
            as_sent(checked.normalized)
        except UnsendableAddress:
            raise UnsendableAddress(NOT_AN_ADDRESS) from None
    return checked.normalized


def as_sent(address: str) -> str:
    """The address in ASCII, as the SMTP envelope and the headers carry it.

    Raises UnsendableAddress unless it is one plain dot-atom address of at most 254
    characters without "=?" (which a reader of the header could decode as an encoded word).
    """
    if not address.isascii():
        try:
            address = validate_email(
                address, check_deliverability=False, allow_smtputf8=False,
                globally_deliverable=False, test_environment=True,
            ).ascii_email
        except EmailNotValidError as error:
            raise UnsendableAddress(f"{address!r} cannot be sent: {error}") from None
    if len(address) > _LONGEST or "=?" in address or not _SENDABLE.fullmatch(address):
        raise UnsendableAddress(f"{address!r} is not one plain address that can be sent")
    return address
