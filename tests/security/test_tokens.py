"""A link proves only what it names: each kind of token the app makes is refused for every
other purpose, and cannot be turned into a token for another record."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from app.bookings import links
from app.programme.emails import CONFIRM_ADDRESS, confirm_address_url, unsubscribe_url
from app.tokens import TokenInvalid, make_token, read_token

from ..bookings.helpers import wanting
from ..support.clock import AN_ORDINARY_MORNING
from ..support.programme import patient_on_programme

pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

PURPOSES = ["checkin", "unsubscribe", CONFIRM_ADDRESS, links.MANAGE, links.OFFER,
            links.FROM_ENQUIRY]
URLS = {
    "checkin": "/checkin/{}",
    "unsubscribe": "/programme/unsubscribe/{}",
    CONFIRM_ADDRESS: "/programme/confirm/{}",
    links.MANAGE: "/booking/{}",
    links.OFFER: "/booking/offer/{}",
    links.FROM_ENQUIRY: "/book?enquiry={}",
}
YEAR = 365 * 86400


@pytest.fixture
def records(app):
    now = datetime.now(UTC)  # the test's clock
    enrolment = patient_on_programme(now)
    appointment = wanting(now)
    start = links.iso_utc(now + timedelta(days=3))
    # Each made the way the app makes it for its emails.
    return {
        "checkin": (make_token("checkin", enrolment.id, week=2), enrolment.id),
        "unsubscribe": (unsubscribe_url(enrolment.id).rsplit("/", 1)[1], enrolment.id),
        CONFIRM_ADDRESS: (confirm_address_url(enrolment.enquiry_id).rsplit("/", 1)[1],
                          enrolment.enquiry_id),
        links.MANAGE: (links.manage_token(appointment.id), appointment.id),
        links.OFFER: (make_token(links.OFFER, appointment.id, start=start), appointment.id),
        links.FROM_ENQUIRY: (links.book_from_enquiry_token(enrolment.enquiry_id),
                             enrolment.enquiry_id),
    }


def test_each_token_reads_only_for_its_own_purpose(records):
    for made_for, (token, record_id) in records.items():
        assert read_token(made_for, token, YEAR).record_id == record_id
        for other in PURPOSES:
            if other != made_for:
                with pytest.raises(TokenInvalid):
                    read_token(other, token, YEAR)


def _with_other_id(token: str, record_id: int) -> str:
    """The token with its payload rewritten to name another record, signature kept."""
    payload, rest = token.split(".", 1)
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["id"] = record_id
    forged = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
    return forged.decode().rstrip("=") + "." + rest


def test_no_token_can_be_pointed_at_another_record(records):
    for made_for, (token, record_id) in records.items():
        with pytest.raises(TokenInvalid):
            read_token(made_for, _with_other_id(token, record_id + 1), YEAR)


def test_each_link_is_refused_at_every_other_address(client, records):
    for made_for, (token, _) in records.items():
        # Its own address accepts it (an offer not made any more answers 409, still not 404).
        assert client.get(URLS[made_for].format(token)).status_code in (200, 409), made_for
        for other, url in URLS.items():
            if other == made_for:
                continue
            response = client.get(url.format(token))
            if other == links.FROM_ENQUIRY:
                # The booking page still opens, without anyone's details filled in.
                assert "Ana Silva" not in response.text and "Alex Morgan" not in response.text
            else:
                assert response.status_code == 404, (made_for, other)


def test_a_forged_link_shows_nobody_else(client, records):
    other_patient = patient_on_programme(datetime.now(UTC), name="Bea Other",
                                         email="bea@example.org")
    token, _ = records["checkin"]
    forged = _with_other_id(token, other_patient.id)
    response = client.get(URLS["checkin"].format(forged))
    assert response.status_code == 404 and "Bea" not in response.text
