"""The pages no other journey reaches: the public home and privacy notice, the error pages,
every page of the desk (the diary settings with a calendar address issued), a patient whose
programme the osteopath paused, and turning on the second step of signing in and signing in
with it."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from .people import clinic_day_of, clinic_morning, link_in, sign_in, start_programme

pytestmark = pytest.mark.browser

PATIENT = "kim.lee@example.org"


@pytest.fixture
def site_setup():
    return lambda site: site.create_staff()


def heading(page):
    return page.get_by_role("heading", level=1)


def test_public_pages_error_pages_and_the_desk(site, context, page, look):
    for path, title, name in [
        ("/", "Help with back, hip and pelvis pain", "home"),
        ("/privacy", "How we use your information", "privacy-notice"),
        ("/no-such-page", re.compile("."), "not-found"),
        ("/checkin/not-a-real-link", "This link does not work", "link-problem"),
    ]:
        page.goto(site.url + path)
        expect(heading(page)).to_have_text(title)
        look.check(page, name)

    # A patient on the programme, two weeks in, with a check-in email to answer.
    enrolled_on = clinic_day_of(start_programme(site, page, name="Kim Lee", email=PATIENT))
    site.smtp.reset()
    site.send_due(clinic_morning(enrolled_on, 14))
    (checkin_email,) = site.smtp.to(PATIENT)

    desk = context.new_page()
    desk.set_viewport_size({"width": 1280, "height": 800})
    sign_in(desk, site.sign_in_url)
    expect(heading(desk)).to_have_text("Desk")
    nav = desk.get_by_role("navigation", name="Desk")

    nav.get_by_role("link", name="Enquiries").click()
    expect(heading(desk)).to_have_text("Enquiries")
    look.check(desk, "desk-enquiries")
    desk.get_by_role("link", name="Kim Lee").first.click()
    expect(heading(desk)).to_have_text("Enquiry from Kim Lee")
    look.check(desk, "desk-enquiry")

    # The osteopath pauses the programme; the patient's check-in link then says so.
    nav.get_by_role("link", name="Programme").click()
    expect(heading(desk)).to_have_text("Patients on the programme")
    look.check(desk, "desk-programme")
    desk.get_by_role("link", name="Kim Lee").click()
    expect(heading(desk)).to_have_text("Kim Lee")
    look.check(desk, "desk-patient")
    status = desk.locator("form.desk-status")
    status.get_by_label("Change").select_option(label="Pause")
    status.get_by_role("button", name="Save").click()
    expect(desk.get_by_role("status")).to_contain_text(re.compile("[Pp]aused"))
    page.goto(link_in(checkin_email, "/checkin/"))
    expect(heading(page)).to_have_text("Your programme is not running at the moment")
    look.check(page, "not-running")

    for link, title, name in [
        ("Bookings", "Bookings", "desk-bookings"),
        ("Diary", re.compile("^Diary: week of "), "desk-diary"),
    ]:
        nav.get_by_role("link", name=link).click()
        expect(heading(desk)).to_have_text(title)
        look.check(desk, name)
    desk.get_by_role("link", name="Opening hours, closures and booking settings").click()
    expect(heading(desk)).to_have_text("Diary settings")
    look.check(desk, "desk-diary-settings")
    # The diary on the osteopath's phone: a private address, which the page shows to copy.
    desk.get_by_role("button", name="Issue a private calendar address").click()
    expect(desk.get_by_role("status")).to_contain_text("Your calendar address is ready")
    address = desk.get_by_label("Your calendar address").input_value()
    look.check(desk, "desk-diary-settings-calendar")
    feed = context.request.get(address)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert feed.text().startswith("BEGIN:VCALENDAR")

    nav.get_by_role("link", name="Content").click()
    desk.locator("a[href*='/admin/content/parts/']").first.click()
    expect(heading(desk)).to_have_text(re.compile("^Edit "))
    look.check(desk, "desk-article-part")

    nav.get_by_role("link", name="Privacy").click()
    expect(heading(desk)).to_have_text("Privacy")
    look.check(desk, "desk-privacy")
    desk.get_by_label("Their email address").fill(PATIENT)
    desk.get_by_role("button", name="Find what we hold").click()
    expect(heading(desk)).to_have_text(f"What we hold for {PATIENT}")
    look.check(desk, "desk-privacy-person")


def test_the_second_step_of_signing_in(site, page, look):
    sign_in(page, site.sign_in_url)
    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Sign-in security").click()
    expect(heading(page)).to_have_text("Sign-in security")
    look.check(page, "two-factor-off")
    page.get_by_role("button", name="Set up a second step").click()
    expect(heading(page)).to_have_text("Set up a second step")
    look.check(page, "two-factor-setup")

    key = page.get_by_text("Cannot scan it?").locator("code").inner_text()
    page.get_by_label("Code").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Turn on").click()
    expect(heading(page)).to_have_text("The second step is on")
    look.check(page, "recovery-codes")
    recovery_code = page.locator(".recovery-codes code").first.inner_text()
    page.get_by_role("link", name="Done").click()
    expect(heading(page)).to_have_text("Sign-in security")
    look.check(page, "two-factor-on")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, site.sign_in_url)
    expect(heading(page)).to_have_text("Enter the code from your app")
    look.check(page, "sign-in-code")
    # The app's code was just used to turn the step on; a recovery code is good once.
    page.get_by_label("Code").fill(recovery_code)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Desk")
