"""Email addresses: every form refuses one the clinic's email cannot go to, with a clear
message, and an address beyond ASCII that can be sent goes out in its IDNA form, in the SMTP
envelope and in the headers alike. Nothing a form accepts fails when it is sent."""

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.addresses import CANNOT_SEND, NOT_AN_ADDRESS, UnsendableAddress, as_sent, normalised
from app.extensions import db
from app.models import Appointment, Enquiry, OutboxMessage
from app.outbox import headers

from .conftest import form_tokens
from .support.awkward import ascii_form, form_addresses
from .support.enquiries import post_enquiry
from .support.outbox import START, send_due
from .support.reading import mailbox, parsed

IDNA = {
    "jo@exämple.org": "jo@xn--exmple-cua.org",
    # IDNA 2008, as email_validator converts: IDNA 2003 (Python's "idna" codec, which
    # Flask-Mail used) would send this to strasse.de, someone else's domain.
    "strasse@straße.de": "strasse@xn--strae-oqa.de",
    "Jo.Smith@BÜCHER.example": "Jo.Smith@xn--bcher-kva.example",
}


@pytest.mark.parametrize("typed, sent", IDNA.items(), ids=IDNA.values())
def test_an_enquiry_from_a_domain_beyond_ascii_is_sent_to_its_idna_form(client, runner, smtp,
                                                                         app, typed, sent):
    """Kept as the person would recognise it; sent in ASCII, in RCPT TO and in To, and the
    osteopath's Reply-To is the same address."""
    with time_machine.travel(START, tick=True):
        assert post_enquiry(client, email=typed, consent_followup=None).status_code == 303
        assert send_due(runner).strip() == "sent 2, retrying 0, failed 0, cancelled 0"

    stored = db.session.execute(select(Enquiry.email)).scalar_one()
    assert stored == normalised(typed) and not stored.isascii()
    notify = app.config["CLINIC_NOTIFY_EMAIL"]
    [acknowledgement] = [item for item in smtp.received if item.rcpt_tos != [notify]]
    [notification] = [item for item in smtp.received if item.rcpt_tos == [notify]]
    assert acknowledgement.rcpt_tos == [sent]
    assert mailbox(acknowledgement.message, "To") == ("", sent)  # nothing typed goes to it
    assert mailbox(notification.message, "Reply-To") == ("", sent)
    assert acknowledgement.raw.isascii() and notification.raw.isascii()


REFUSED = {
    "local-part-beyond-ascii": ("zoë@example.org", CANNOT_SEND),
    "encoded-word": ("=?utf-8?q?jo?=@example.org", NOT_AN_ADDRESS),
    "quoted-local-part": ('"jo smith"@example.org', NOT_AN_ADDRESS),
    "ip-address": ("jo@[192.0.2.1]", NOT_AN_ADDRESS),
    "no-dot": ("jo@localhost", NOT_AN_ADDRESS),
    "two-addresses": ("jo@example.org, sam@example.org", NOT_AN_ADDRESS),
    "display-name": ("Jo <jo@example.org>", NOT_AN_ADDRESS),
}


def table_counts() -> dict:
    counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
              for model in (Enquiry, Appointment, OutboxMessage)}
    db.session.rollback()
    return counts


def post_booking(client, email: str):
    page = client.get("/book")
    return client.post("/book", data={
        **form_tokens(page.text), "name": "Ana Silva", "email": email, "preferred_1": "Monday",
        "consent_contact": "y", "website": ""})


@pytest.mark.parametrize("typed, says", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize("post", [post_enquiry, post_booking], ids=["enquire", "book"])
def test_an_address_the_sender_would_refuse_is_refused_at_the_form(client, post, typed, says):
    before = table_counts()
    response = post(client, email=typed)
    assert response.status_code == 400
    assert says in response.text
    assert table_counts() == before


@settings(max_examples=200, deadline=None, database=None)
@given(form_addresses())
def test_an_address_a_form_takes_is_sent_as_its_ascii_form_and_reads_back_so(typed):
    kept = normalised(typed)
    assert as_sent(kept) == ascii_form(typed)
    message = parsed(headers.block([headers.mailbox("To", "", kept)]) + b"\r\n")
    assert mailbox(message, "To") == ("", ascii_form(typed))


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=40) | st.emails())
def test_whatever_is_typed_is_refused_at_the_form_or_sent_as_it_was_accepted(typed):
    try:
        kept = normalised(typed)
    except UnsendableAddress as refused:
        assert str(refused) in (NOT_AN_ADDRESS, CANNOT_SEND)
    else:
        assert as_sent(kept) == ascii_form(typed)
