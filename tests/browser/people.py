"""What people do in the journeys: fill in the forms by their labels, read their email."""

import re
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from .conftest import STAFF_EMAIL, STAFF_PASSWORD

LONDON = ZoneInfo("Europe/London")
URL = re.compile(r"https?://[^\s<>\"]+")
ARTICLE_LINK = "/enquire?ref=ways-to-avoid-back-pain-part-2"


def fill_enquiry(page: Page, *, name: str, email: str | None, red_flag: str | None = None,
                 exercises: bool = True) -> None:
    """Answer the enquiry form as a patient with back pain would; `email=None` leaves it out."""
    page.get_by_role("radio", name="Back pain").check()
    page.get_by_label("Where do you feel it?").fill("Lower back, on the right")
    page.get_by_role("radio", name="6 weeks to 3 months").check()
    page.get_by_role("checkbox", name="Walking uphill or up steps").check()
    pain = page.get_by_role("group", name=re.compile("How bad is the pain"))
    pain.get_by_role("radio", name="6", exact=True).check()
    page.get_by_label("Anything else you would like us to know").fill(
        "It started after a long walk in the hills."
    )
    page.get_by_role("checkbox", name=red_flag or "None of these apply to me").check()
    page.get_by_label("Your name").fill(name)
    if email is not None:
        page.get_by_label("Email address").fill(email)
    page.get_by_label("Phone number (optional)").fill("07911 123456")
    page.get_by_role("checkbox", name="I agree that the clinic may contact me").check()
    if exercises:
        page.get_by_role("checkbox", name=re.compile("Send me exercises")).check()


def send_enquiry(page: Page) -> None:
    page.get_by_role("button", name="Send my enquiry").click()


def start_programme(site, page: Page, *, name: str, email: str) -> EmailMessage:
    """A patient enquires from the article, asks for the exercises and confirms the address
    by the emailed link; returns the programme's welcome email."""
    page.goto(site.url + ARTICLE_LINK)
    fill_enquiry(page, name=name, email=email)
    send_enquiry(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your enquiry")
    site.send_due()
    acknowledgement = only(site.smtp.to(email), "We have your enquiry")
    page.goto(link_in(acknowledgement, "/programme/confirm/"))
    page.get_by_role("button", name="Confirm and start my exercises").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email address is confirmed")
    site.send_due()
    return only(site.smtp.to(email), "six-week hip strength programme")


def clinic_day_of(message: EmailMessage) -> date:
    """The clinic's date when the site sent `message`, from its Date header: the site's own
    clock, not the test's. Sent just after what caused it, it is that day or (past midnight)
    the next, which the programme's weeks leave room for."""
    return parsedate_to_datetime(message["Date"]).astimezone(LONDON).date()


def clinic_morning(day: date, days_later: int) -> str:
    """09:00 clinic time `days_later` days after `day`, as `send-due --now` takes it."""
    return f"{(day + timedelta(days=days_later)).isoformat()}T09:00"


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def only(messages: list[EmailMessage], subject_part: str) -> EmailMessage:
    found = [m for m in messages if subject_part in str(m["Subject"])]
    assert len(found) == 1, (subject_part, [str(m["Subject"]) for m in messages])
    return found[0]


def subjects(messages: list[EmailMessage]) -> list[str]:
    return sorted(str(m["Subject"]) for m in messages)


def link_in(message: EmailMessage, path_part: str) -> str:
    """The link in an email's text whose address contains `path_part`; the HTML part must
    carry the same link, since most people click there."""
    found = [url for url in URL.findall(text_of(message)) if path_part in url]
    assert found, f"no link with {path_part!r} in:\n{text_of(message)}"
    assert found[0] in html_of(message).replace("&amp;", "&")
    return found[0]


def expect_error_linked(page: Page, summary_text: str, label: str, message: str) -> None:
    """The error summary names the problem, its link takes focus to the field, and the field
    itself is marked invalid and described by the same message."""
    summary = page.get_by_role("alert").filter(has_text="Please check these answers")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name=summary_text).click()
    field = page.get_by_label(label, exact=True)
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


def sign_in(page: Page, sign_in_url: str, look=None, email: str = STAFF_EMAIL,
            password: str = STAFF_PASSWORD) -> None:
    """Sign in to the desk from the link `flask staff create` printed."""
    page.goto(sign_in_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the desk")
    if look is not None:
        look.check(page, "sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
