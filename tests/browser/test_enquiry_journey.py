"""A patient from an article: a mistake put right, the emails, a check-in, and unsubscribing."""

import re

import pytest
from playwright.sync_api import expect

from .people import (
    ARTICLE_LINK,
    clinic_day_of,
    clinic_morning,
    expect_error_linked,
    fill_enquiry,
    link_in,
    only,
    send_enquiry,
    subjects,
    text_of,
)

pytestmark = pytest.mark.browser

PATIENT = "jo.baker@example.org"


def test_patient_from_an_article_through_the_programme(site, page, look):
    page.goto(site.url + ARTICLE_LINK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask us about your pain")
    look.check(page, "enquiry-form")

    fill_enquiry(page, name="Jo Baker", email=None)
    send_enquiry(page)
    expect(page).to_have_title(re.compile("^Error: "))
    expect_error_linked(page, "Enter your email address.", "Email address",
                        "Enter your email address.")
    # Nothing typed is lost when the form comes back.
    expect(page.get_by_label("Your name")).to_have_value("Jo Baker")
    expect(page.get_by_role("checkbox", name="Walking uphill or up steps")).to_be_checked()
    look.check(page, "enquiry-error")

    page.get_by_label("Email address").fill(PATIENT)
    send_enquiry(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your enquiry")
    expect(page.get_by_text("we have emailed you a link to confirm your address")).to_be_visible()
    look.check(page, "thanks")

    # Nothing but the acknowledgement goes to the address until its owner presses the link.
    site.send_due()
    (acknowledgement,) = site.smtp.to(PATIENT)
    assert subjects([acknowledgement]) == ["We have your enquiry | Body for Life Osteopathy"]
    clinic = only(site.smtp.to("osteopath@clinic.example"), "New enquiry from Jo Baker")
    assert "ways-to-avoid-back-pain-part-2" in text_of(clinic)
    page.goto(link_in(acknowledgement, "/programme/confirm/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    look.check(page, "confirm-address")
    page.get_by_role("button", name="Confirm and start my exercises").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email address is confirmed")
    look.check(page, "address-confirmed")

    site.send_due()
    mine = site.smtp.to(PATIENT)
    assert subjects(mine) == [
        "We have your enquiry | Body for Life Osteopathy",
        "Your six-week hip strength programme | Body for Life Osteopathy",
    ]
    welcome = only(mine, "six-week hip strength programme")
    enrolled_on = clinic_day_of(welcome)
    # Walking uphill points to Part 2 of the series (hip strength and walking).
    assert "PART 2" in text_of(welcome).upper()
    assert "3 sets of 8 to 10 repetitions" in text_of(welcome)

    # Two weeks on, at 09:00 in the clinic, the check-in goes out; nothing later does.
    site.smtp.reset()
    site.send_due(clinic_morning(enrolled_on, 14))
    (checkin_email,) = site.smtp.to(PATIENT)
    assert str(checkin_email["Subject"]).startswith("Week 2: how is your programme going?")
    assert "List-Unsubscribe" in checkin_email

    page.goto(link_in(checkin_email, "/checkin/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Week 2 check-in")
    look.check(page, "checkin")
    answer_checkin(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    advice = page.get_by_role("list").filter(has=page.get_by_role("heading", level=3))
    expect(advice.get_by_role("heading", level=3)).to_have_text(
        ["Add a fourth set", "Give your weaker side extra attention"]
    )
    look.check(page, "checkin-advice")

    page.goto(link_in(checkin_email, "/programme/unsubscribe/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop the programme emails?")
    look.check(page, "unsubscribe")
    page.get_by_role("button", name="Stop my programme emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You will get no more programme emails"
    )
    look.check(page, "unsubscribed")

    # Weeks 4 and 6 and the closing email were due to come; none does.
    site.smtp.reset()
    site.send_due(clinic_morning(enrolled_on, 45))
    assert site.smtp.to(PATIENT) == []


def answer_checkin(page) -> None:
    def group(name: str):
        return page.get_by_role("group", name=re.compile(name))

    group("how many days a week").get_by_role("radio", name="3", exact=True).check()
    group("How many sets").get_by_role("radio", name="3", exact=True).check()
    group("How many repetitions").get_by_role("radio", name="10", exact=True).check()
    page.get_by_role("radio", name=re.compile("About right")).check()
    group("knees going very wide").get_by_role("radio", name="No").check()
    page.get_by_role("radio", name="My left side").check()
    page.get_by_label("Which band are you using? (optional)").fill("the green one")
    group("How bad is your pain").get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("checkbox", name="None of these apply to me").check()
