"""A patient with an emergency symptom: told to call 999 first, and never sent self-help."""

import re

import pytest
from playwright.sync_api import expect

from .people import (
    ARTICLE_LINK,
    clinic_day_of,
    clinic_morning,
    fill_enquiry,
    only,
    send_enquiry,
    subjects,
    text_of,
)

pytestmark = pytest.mark.browser

PATIENT = "alex.reid@example.org"
SADDLE = "Numbness or tingling around your genitals, buttocks or back passage"


def test_emergency_symptom_shows_999_first_and_starts_no_programme(site, page, look):
    page.goto(site.url + ARTICLE_LINK)
    advice = page.get_by_role("alert").filter(has_text="Call 999 or go to A&E now")
    expect(advice).to_be_hidden()

    # The form's own script shows the advice the moment the box is ticked, before sending.
    symptom = page.get_by_role("checkbox", name=SADDLE)
    symptom.check()
    expect(advice).to_be_visible()
    look.check(page, "form-emergency-advice")
    symptom.uncheck()
    expect(advice).to_be_hidden()

    # They asked for exercises too; a red flag must win over that.
    fill_enquiry(page, name="Alex Reid", email=PATIENT, red_flag=SADDLE, exercises=True)
    expect(advice).to_be_visible()
    send_enquiry(page)

    expect(page).to_have_title(re.compile("^Thank you"))
    first_heading = page.get_by_role("main").get_by_role("heading").first
    expect(first_heading).to_have_text("Call 999 or go to A&E now")
    expect(page.get_by_role("alert")).to_contain_text("Call 999 or go to A&E now")
    expect(page.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(page.get_by_text("You asked for exercises")).to_have_count(0)
    look.check(page, "thanks-emergency")

    site.send_due()
    mine = site.smtp.to(PATIENT)
    sent_on = clinic_day_of(mine[0])
    assert subjects(mine) == [
        "We have your enquiry - please read our urgent advice | Body for Life Osteopathy"
    ]
    assert text_of(mine[0]).lstrip().startswith("IMPORTANT: CALL 999 OR GO TO A&E NOW")
    clinic = only(site.smtp.to("osteopath@clinic.example"), "Alex Reid")
    assert str(clinic["Subject"]).startswith("URGENT (emergency symptoms)")

    # Nor does any programme email come later: no check-ins, no closing email.
    site.smtp.reset()
    site.send_due(clinic_morning(sent_on, 45))
    assert site.smtp.to(PATIENT) == []
