"""What a person might type into a name or a subject, for property tests of the email headers:
encoded-word look-alikes in many charsets and both encodings, line breaks of every kind, very
long values, text beyond ASCII, and the characters that mean something in a header."""

import base64

from email_validator import validate_email
from hypothesis import strategies as st

CHARSETS = ["utf-8", "UTF-8", "iso-8859-1", "ISO-8859-15", "us-ascii", "windows-1252",
            "koi8-r", "shift_jis", "iso-2022-jp", "euc-kr", "gb2312", "big5", "utf-16",
            "x-unknown"]
BREAKS = ["\r", "\n", "\r\n", "\r\n\r\n", "\n\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029",
          "\x1c", "\x1e", "\t", "\x00", "\x7f", "\x9b"]
SPECIALS = list('"\',<>\\()[]:;@.') + ["=?", "?=", "=", "?", "_"]
# What an attacker would have a decoder produce: headers of their own, or a blank line.
PAYLOADS = ["Jo\r\nReply-To: evil@example.net", "\r\n\r\nX-Body: moved", "\r\nBcc: e@example.net",
            "\n", "Zoë\u2028Cc: e@example.net", "=?utf-8?q?x?="]

text_beyond_ascii = st.characters(codec="utf-8", exclude_categories=["Cs"])
plain_words = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1,
                      max_size=12)


@st.composite
def encoded_word_look_alikes(draw) -> str:
    """`=?charset?encoding?text?=`, where the text most often decodes to line breaks."""
    charset = draw(st.sampled_from(CHARSETS))
    encoding = draw(st.sampled_from("qQbB"))
    decoded = draw(st.sampled_from(PAYLOADS) | st.text(max_size=20))
    try:
        data = decoded.encode(charset, errors="replace")
    except LookupError:
        data = decoded.encode("utf-8", errors="surrogatepass")
    if encoding in "qQ":
        text = "".join(chr(b) if chr(b).isalnum() and b < 128 else f"={b:02X}" for b in data)
    else:
        text = base64.b64encode(data).decode("ascii")
    return f"=?{charset}?{encoding}?{text}?="


pieces = st.one_of(
    plain_words,
    encoded_word_look_alikes(),
    st.sampled_from(BREAKS),
    st.sampled_from(SPECIALS),
    st.just(" "),
    st.text(text_beyond_ascii, min_size=1, max_size=8),
)


def typed_text(max_size: int, storable: bool = False) -> st.SearchStrategy[str]:
    """Text as a person might type it, cut to `max_size` characters. `storable` leaves out
    what no database column takes (NUL, lone surrogates); the forms refuse both anyway."""
    def joined(parts: list[str]) -> str:
        text = "".join(parts)
        return text.replace("\x00", " ") if storable else text

    return st.lists(pieces, max_size=40).map(joined).map(lambda text: text[:max_size])


def very_long_text() -> st.SearchStrategy[str]:
    """Beyond the 998 characters a line may hold, with or without spaces to fold at."""
    return st.tuples(typed_text(60), st.sampled_from(["x", "é", "ab ", "Łódź ", "=?"]),
                     st.integers(500, 1500)).map(lambda t: t[0] + t[1] * t[2])


# Addresses a form accepts: dot-atom local parts (with atext's odd characters), and domains in
# and beyond ASCII.
LOCAL_CHARACTERS = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789!#$%&'*+/=?^_`{|}~-")
DOMAINS = ["example.org", "EXAMPLE.org", "exämple.org", "straße.de", "bücher.example",
           "例え.jp", "xn--exmple-cua.org", "mail.ñandú.example"]


@st.composite
def form_addresses(draw) -> str:
    atoms = draw(st.lists(st.text(LOCAL_CHARACTERS, min_size=1, max_size=10), min_size=1,
                          max_size=3))
    local = ".".join(atoms)
    if "=?" in local:  # refused by the forms: a reader of a header could decode it
        local = local.replace("=?", "=x")
    return f"{local}@{draw(st.sampled_from(DOMAINS))}"


def ascii_form(address: str) -> str:
    """The address as email_validator converts it for a server without SMTPUTF8."""
    return validate_email(address, check_deliverability=False, allow_smtputf8=False).ascii_email
