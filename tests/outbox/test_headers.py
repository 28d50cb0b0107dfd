"""Headers that nothing typed can rewrite: each value becomes exactly one header, and reads
back as its safe form; where the standard library's own writer reads back right, ours reads
back the same."""

import unicodedata
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.addresses import UnsendableAddress
from app.outbox import headers
from app.outbox.headers import HeaderRefused, safe_text

from ..support.awkward import text_beyond_ascii, typed_text, very_long_text
from ..support.reading import header_names, mailbox, parsed

PROPERTY = settings(max_examples=300, deadline=None, database=None)
anything = typed_text(300) | very_long_text() | st.text(max_size=200)
ADDRESS = "sam@example.org"


def read(*written: headers.Written):
    """The headers as one block, checked as the outbox checks it, then parsed."""
    return parsed(headers.block(list(written)) + b"\r\n")


@pytest.mark.parametrize("separator", ["\r", "\n", "\r\n", "\r\n\r\n", "\x0b", "\x0c", "\x85",
                                       "\u2028", "\u2029", "\x00", "\t", "\x1f", "\x7f", "\x9b"])
def test_every_control_character_and_line_separator_becomes_a_space(separator):
    assert safe_text(f" Sam{separator}Bcc: e@example.net ") == "Sam Bcc: e@example.net"


def test_the_safe_form_collapses_white_space_and_is_cut_without_a_trailing_space():
    assert safe_text("Sam \u00a0  Patel\u3000Jones") == "Sam Patel Jones"
    assert safe_text("Sam Patel", limit=4) == "Sam"
    assert safe_text("\ud800Sam") == "Sam"  # a lone surrogate cannot be encoded at all


@PROPERTY
@given(anything, st.integers(1, 400) | st.none())
def test_the_safe_form_is_one_line_of_text_within_its_limit(text, limit):
    safe = safe_text(text, limit)
    assert not {unicodedata.category(c) for c in safe} & {"Cc", "Cs", "Zl", "Zp"}
    assert safe == " ".join(safe.split())
    assert limit is None or len(safe) <= limit
    assert safe_text(safe, limit) == safe


@PROPERTY
@given(anything)
def test_a_typed_subject_or_display_name_is_one_header_that_reads_back_as_its_safe_form(text):
    message = read(headers.typed("Subject", text), headers.mailbox("To", text, ADDRESS),
                   headers.mailbox("Reply-To", "", ADDRESS))
    assert header_names(message) == ["Subject", "To", "Reply-To"]
    assert str(message["Subject"]) == safe_text(text)
    assert mailbox(message, "To") == (safe_text(text), ADDRESS)
    assert mailbox(message, "Reply-To") == ("", ADDRESS)


def standard_library(subject: str, display_name: str):
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["To"] = Address(display_name=display_name, addr_spec=ADDRESS)
    return parsed(message.as_bytes())


# Where the standard library's writer reads back right: values without "=?" or line breaks
# of at most 20 characters in any script, ASCII subjects of any length, and ASCII display names
# of up to 60 characters. Beyond that it writes a long name with commas so that it reads as
# several addresses, and drops the spaces of long text beyond ASCII (see the cases below).
def without_encoded_words(strategy):
    return strategy.map(safe_text).filter(lambda text: "=?" not in text)


short_text = without_encoded_words(st.text(text_beyond_ascii, max_size=20))
ascii_text = st.characters(codec="ascii")


@PROPERTY
@given(st.one_of(
    st.tuples(short_text, short_text),
    st.tuples(without_encoded_words(st.text(ascii_text, max_size=900)),
              without_encoded_words(st.text(ascii_text, max_size=60))),
))
def test_where_the_standard_library_reads_back_right_ours_reads_back_the_same(values):
    subject, display_name = values
    theirs = standard_library(subject, display_name)
    ours = read(headers.typed("Subject", subject), headers.mailbox("To", display_name, ADDRESS))
    assert str(ours["Subject"]) == str(theirs["Subject"]) == subject
    assert mailbox(ours, "To") == mailbox(theirs, "To") == (display_name, ADDRESS)


@pytest.mark.parametrize("value", [
    "Samantha Jane Patel-Robinson, known to her friends and family as Sam, of Little Snoring",
    "Zoë Ångström-Łukasiewicz ¡¡¡¡¡¡𐀀𐀀𐀀𐀀𐀀𐀀 ¡ ¡ of Little Snoring",
    "Jo =?utf-8?q?Jo=0D=0AReply-To:_evil@example.net?= of Little Snoring on the Hill, Norfolk",
])
def test_where_the_standard_library_goes_wrong_ours_reads_back_as_typed(value):
    ours = read(headers.typed("Subject", value), headers.mailbox("To", value, ADDRESS))
    assert header_names(ours) == ["Subject", "To"]
    assert str(ours["Subject"]) == value
    assert mailbox(ours, "To") == (value, ADDRESS)


@pytest.mark.parametrize("value", ["x\r\nBcc: e@example.net", "x\nBcc: e", "x\rBcc: e",
                                   "x\u2028Bcc: e", "é", "=?utf-8?q?x?=", "x" * 1000])
def test_a_value_the_code_makes_must_be_plain_ascii_that_fits(value):
    with pytest.raises(HeaderRefused):
        headers.fixed("List-Unsubscribe", value)


@pytest.mark.parametrize("address", ["zoë@example.org", "=?utf-8?q?x?=@example.org",
                                     "sam@example.org\r\nBcc: e@example.net", "Sam <s@x.org>",
                                     "s@x.org, e@example.net", "s@" + "x" * 260 + ".org"])
def test_an_address_that_is_not_one_plain_sendable_address_is_refused(address):
    with pytest.raises(UnsendableAddress):
        headers.mailbox("To", "Sam", address)


GOOD = b"Subject: Hello\r\n there\r\nTo: sam@example.org\r\n"


@pytest.mark.parametrize("block, why", [
    (b"Subject: Hello\r\nBcc: e@example.net\r\nTo: sam@example.org\r\n", "another header"),
    (b"Subject: Hello\r\nTo: sam@example.org\r\nTo: e@example.net\r\n", "a header twice"),
    (b"Subject: Hello\r\n", "a header missing"),
    (b"To: sam@example.org\r\nSubject: Hello\r\n", "out of order"),
    (b" Hello\r\nSubject: Hello\r\nTo: sam@example.org\r\n", "a continuation first"),
    (b"Subject: Hello\r\n\r\nTo: sam@example.org\r\n", "an empty line"),
    (b"Subject: Hello\r\n \r\nTo: sam@example.org\r\n", "a line of white space"),
    (b"Subject: Hel\nlo\r\nTo: sam@example.org\r\n", "a bare LF"),
    (b"Subject: Hel\rlo\r\nTo: sam@example.org\r\n", "a bare CR"),
    (b"Subject: H\xc3\xa9llo\r\nTo: sam@example.org\r\n", "a byte beyond ASCII"),
    (b"Subject: Hel\x00lo\r\nTo: sam@example.org\r\n", "a control character"),
    (b"Subject: " + b"x" * 990 + b"\r\nTo: sam@example.org\r\n", "a line over 998 bytes"),
    (b"Subject:Hello\r\nTo: sam@example.org\r\n", "no space after the colon"),
    (b"Subject: Hello\r\nTo: sam@example.org", "no line break at the end"),
])
def test_the_check_on_the_whole_block_refuses_anything_but_the_headers_meant(block, why):
    headers.check_block(GOOD, ["Subject", "To"])
    with pytest.raises(HeaderRefused):
        headers.check_block(block, ["Subject", "To"])
