"""The osteopath changes the programme's dose on the desk; the next programme email says it."""

import re

import pytest
from playwright.sync_api import expect

from .people import clinic_day_of, clinic_morning, link_in, sign_in, start_programme, text_of

pytestmark = pytest.mark.browser

PATIENT = "sam.okafor@example.org"
OLD_DOSE = "3 sets of 8 to 10 repetitions, 3 or 4 times a week, for 6 weeks."
NEW_DOSE = "2 sets of 12 slow repetitions, every other day, for 6 weeks."


@pytest.fixture
def site_setup():
    return lambda site: site.create_staff()


def test_osteopath_edits_the_dose_and_the_next_email_uses_it(site, context, page, look):
    # A patient starts the programme and gets the welcome email with the dose as it was.
    welcome = start_programme(site, page, name="Sam Okafor", email=PATIENT)
    enrolled_on = clinic_day_of(welcome)
    assert OLD_DOSE in text_of(welcome)

    # The osteopath, at a desktop, follows the sign-in link `flask staff create` gave.
    desk = context.new_page()
    desk.set_viewport_size({"width": 1280, "height": 800})
    sign_in(desk, site.sign_in_url, look)
    expect(desk.get_by_role("heading", level=1)).to_have_text("Desk")
    look.check(desk, "desk-dashboard")

    desk.get_by_role("navigation", name="Desk").get_by_role("link", name="Content").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Articles and programme text")
    look.check(desk, "content")
    desk.get_by_role("link", name=re.compile("six-week programme")).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Edit the programme")
    dose = desk.get_by_label("How much")
    expect(dose).to_have_value(OLD_DOSE)
    look.check(desk, "programme-edit")

    dose.fill(NEW_DOSE)
    desk.get_by_role("button", name="Preview the email").click()
    preview = desk.frame_locator("iframe[title='Preview of the programme email']")
    expect(preview.get_by_text(NEW_DOSE)).to_be_visible()
    expect(desk.get_by_role("heading", name="Preview of the email")).to_be_visible()
    look.check(desk, "programme-preview")

    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.get_by_role("status")).to_have_text(
        "Saved. The next programme email uses the new text."
    )
    look.check(desk, "content-saved")

    # The week-2 check-in, rendered when it is sent, reminds the patient of the new dose.
    site.smtp.reset()
    site.send_due(clinic_morning(enrolled_on, 14))
    (checkin,) = site.smtp.to(PATIENT)
    assert f"A reminder of the dose: {NEW_DOSE}" in text_of(checkin)
    assert OLD_DOSE not in text_of(checkin)
    page.goto(link_in(checkin, "/checkin/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Week 2 check-in")
