"""The signed links a booking's emails carry, and reading them back.

Each purpose is its own signing salt (app.tokens), so a link made for one appointment and
one purpose proves nothing about any other.
"""

from datetime import datetime

from app.links import public_url
from app.policy import link_max_age
from app.timeutil import as_utc
from app.tokens import Claims, make_token, read_token

MANAGE = "booking-manage"
OFFER = "booking-offer"
FROM_ENQUIRY = "book-from-enquiry"


def iso_utc(moment: datetime) -> str:
    """The one spelling of an instant used in links and in `offered_starts`."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def manage_token(appointment_id: int) -> str:
    return make_token(MANAGE, appointment_id)


def manage_url(appointment_id: int) -> str:
    return public_url("bookings.manage", token=manage_token(appointment_id))


def offer_url(appointment_id: int, start: datetime) -> str:
    token = make_token(OFFER, appointment_id, start=iso_utc(start))
    return public_url("bookings.accept_offer", token=token)


def book_from_enquiry_token(enquiry_id: int) -> str:
    """For the desk's reply to an enquiry: /book?enquiry=<this> fills in the patient's details."""
    return make_token(FROM_ENQUIRY, enquiry_id)


def read_manage(token: str) -> Claims:
    return read_token(MANAGE, token, link_max_age("BOOKING_MANAGE"))


def read_offer(token: str) -> Claims:
    return read_token(OFFER, token, link_max_age("BOOKING_OFFER"))


def read_from_enquiry(token: str) -> Claims:
    return read_token(FROM_ENQUIRY, token, link_max_age("BOOKING_FROM_ENQUIRY"))


def parse_iso_utc(text: str | None) -> datetime:
    """An instant spelled by `iso_utc`; ValueError for anything else."""
    if not isinstance(text, str):
        raise ValueError("no time")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return as_utc(moment)
