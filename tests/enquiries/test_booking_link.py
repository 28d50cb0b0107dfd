"""Asking for an appointment on the enquiry leads straight to /book with the details filled in;
after a red-flag screen it does not, because urgent care comes first."""

import re

import pytest

from ..support.enquiries import post_enquiry
from ..support.outbox import send_due

BOOK_LINK = re.compile(r'href="(http[^"]*/book\?enquiry=[^"]+)"')


def test_the_thank_you_page_and_the_email_offer_a_time(client, runner, smtp):
    response = post_enquiry(client, wants_appointment="y", consent_followup=None)
    thanks = client.get(response.headers["Location"])
    link = BOOK_LINK.search(thanks.text).group(1)
    assert "Choose an appointment time" in thanks.text
    book = client.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert book.status_code == 200
    assert 'value="Sam Patel"' in book.text and 'value="sam@example.org"' in book.text

    send_due(runner)
    text = smtp.to("sam@example.org")[0].get_body(("plain",)).get_content()
    assert "/book?enquiry=" in text


@pytest.mark.parametrize("flag", ["both_legs", "fever"])
def test_no_booking_link_after_a_red_flag(client, runner, smtp, flag):
    response = post_enquiry(client, wants_appointment="y", red_flags=[flag])
    thanks = client.get(response.headers["Location"])
    assert BOOK_LINK.search(thanks.text) is None
    send_due(runner)
    text = smtp.to("sam@example.org")[0].get_body(("plain",)).get_content()
    assert "/book?enquiry=" not in text


def test_no_booking_link_when_no_appointment_was_asked_for(client):
    response = post_enquiry(client)
    assert BOOK_LINK.search(client.get(response.headers["Location"]).text) is None
