"""A booking: the patient asks, the osteopath offers another time, the patient accepts it by
the emailed link, gets the calendar invitation, and later cancels from the manage link."""

import re
from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from .people import LONDON, link_in, only, sign_in, subjects, text_of

pytestmark = pytest.mark.browser

PATIENT = "pat.doe@example.org"
NAME = "Pat Doe"
CLINIC = "osteopath@clinic.example"
DESK_PAGES = "the desk's booking pages (app/desk/bookings/, templates/desk/bookings/)"


@pytest.fixture
def site_setup():
    return lambda site: site.create_staff()


def test_request_offer_accept_and_cancel(site, context, page, look):
    # The patient asks for the first free time the page shows.
    page.goto(site.url + "/book")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    choose_first_free_time(page)
    look.check(page, "book")
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Email address").fill(PATIENT)
    page.get_by_label("Phone number (optional)").fill("07911 123456")
    page.get_by_label("What would you like help with? (optional)").fill("Pain in my left hip.")
    page.get_by_label("I agree that the clinic may contact me about this appointment").check()
    page.get_by_role("button", name="Ask for this appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your request")
    look.check(page, "book-thanks")

    site.send_due()
    only(site.smtp.to(PATIENT), "We have your appointment request")
    only(site.smtp.to(CLINIC), NAME)

    # The osteopath sees the request on the desk and offers a time on another day.
    desk = context.new_page()
    desk.set_viewport_size({"width": 1280, "height": 800})
    sign_in(desk, site.sign_in_url)
    requests = desk.get_by_role("region", name=re.compile("Booking requests waiting"))
    expect(requests, f"the dashboard lists no booking requests: {DESK_PAGES}").to_be_visible()
    look.check(desk, "desk-dashboard")
    requests.get_by_role("link", name=NAME).click()
    expect(desk.get_by_role("heading", level=1), f"no request page: {DESK_PAGES}").to_have_text(
        f"Request from {NAME}"
    )
    look.check(desk, "desk-request")
    offer = section_headed(desk, "Offer other times")
    expect(offer, f"the request page offers no other times: {DESK_PAGES}").to_be_visible()
    first_time = offer.get_by_label("First time")
    offered_value, offered_label = first_option_of_second_day(first_time)
    first_time.select_option(offered_value)
    offer.get_by_role("button", name="Offer these times").click()
    expect(desk.get_by_role("status")).to_contain_text(f"{NAME} is being emailed 1 time(s)")
    look.check(desk, "desk-offered")
    offered_at = datetime.fromisoformat(offered_value).astimezone(UTC)

    # The patient accepts the offered time from the link in the email.
    site.smtp.reset()
    site.send_due()
    offered_email = only(site.smtp.to(PATIENT), "Times we can offer you")
    page.goto(link_in(offered_email, "/booking/offer/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        offered_at.astimezone(LONDON).strftime("%A %-d %B %Y at %H:%M")
    )
    look.check(page, "offer")
    page.get_by_role("button", name="Yes, book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    expect(page.locator("dd").filter(has_text="Confirmed")).to_be_visible()
    look.check(page, "manage-confirmed")

    # The confirmation carries a calendar invitation for that time.
    site.smtp.reset()
    site.send_due()
    confirmed = only(site.smtp.to(PATIENT), "Your appointment is confirmed")
    assert offered_label.split(" ", 1)[0] in str(confirmed["Subject"])
    invitation = ics_of(confirmed)
    assert invitation["METHOD"] == "REQUEST"
    (event,) = invitation.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC) == offered_at

    # Later the patient cancels from the link in that email.
    page.goto(link_in(confirmed, "/booking/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    cancel = section_headed(page, "Cancel")
    cancel.get_by_label("Reason (optional)").fill("My hip is much better.")
    cancel.get_by_role("button", name="Cancel my appointment").click()
    expect(page.locator("dd").filter(has_text="Cancelled")).to_be_visible()
    look.check(page, "manage-cancelled")

    site.smtp.reset()
    site.send_due()
    cancelled = only(site.smtp.to(PATIENT), "Your appointment is cancelled")
    assert ics_of(cancelled)["METHOD"] == "CANCEL"
    notice = only(site.smtp.to(CLINIC), NAME)
    assert "My hip is much better." in text_of(notice)
    assert subjects(site.smtp.messages) == sorted(
        [str(cancelled["Subject"]), str(notice["Subject"])]
    )

    desk.reload()
    expect(desk.get_by_role("heading", level=1)).to_have_text(f"Appointment: {NAME}")
    expect(desk.get_by_text("the patient: My hip is much better.")).to_be_visible()
    look.check(desk, "desk-cancelled")


def section_headed(page, heading: str):
    """The part of a page under a heading, as a sighted person finds a form."""
    return page.locator("section").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def choose_first_free_time(page) -> None:
    """Tick the first time on offer, moving on a week at a time as a patient would."""
    times = page.get_by_role("group", name="Choose a time").get_by_role("radio")
    for _ in range(8):
        if times.count():
            times.first.check()
            return
        page.get_by_role("link", name="Later week").click()
    raise AssertionError("no free time in the next eight weeks")


def first_option_of_second_day(select) -> tuple[str, str]:
    """The value and words of the first free time on the second day the list offers."""
    days = select.locator("optgroup")
    expect(days.nth(1)).to_be_attached()
    option = days.nth(1).locator("option").first
    return option.get_attribute("value"), option.inner_text().strip()


def ics_of(message) -> Calendar:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))
