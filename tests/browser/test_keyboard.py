"""The enquiry form by keyboard alone: Tab, Space, the arrow keys, typing and Enter."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP
from .people import ARTICLE_LINK, only

pytestmark = pytest.mark.browser

PATIENT = "kim.lee@example.org"
# More Tab presses than the form has stops; reaching it means focus is lost or trapped.
MOST_TABS = 80

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    name: el.name || '',
    value: el.value || '',
    text: (el.textContent || '').trim(),
    outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
  };
}"""

# What a keyboard user does at each stop they need; every other stop they Tab past.
TYPED = {
    "location": "Lower back",
    "message": "Sitting at my desk makes it worse.",
    "name": "Kim Lee",
    "phone": "07911 123456",
}
SPACE_ON = {
    ("problem", "back"),
    ("triggers", "long_sitting"),
    ("red_flags", "none"),
    ("consent_contact", "y"),
    ("consent_followup", "y"),
}
# The focus lands on a group's first option; the arrow keys move the choice along.
ARROWS = {("duration", "under_6_weeks"): 1, ("pain_score", "0"): 5}


def test_enquiry_form_by_keyboard_alone(site, page, look):
    page.set_viewport_size(DESKTOP)
    page.goto(site.url + ARTICLE_LINK)

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    visited = tab_through_and_answer(page)
    assert "website" not in {stop["name"] for stop in visited}, "the honeypot took focus"
    unmarked = [stop for stop in visited if not stop["outlined"]]
    assert unmarked == [], "focus is not visible on these"

    # Sent without an email address: the summary's link takes the keyboard to the field.
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address.")
    look.check(page, "keyboard-error")
    summary_link = page.get_by_role("alert").get_by_role("link", name="Enter your email address.")
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if summary_link.evaluate("link => link === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the error summary's link")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(PATIENT)
    # Enter in a text field sends the form, as in any browser.
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your enquiry")
    look.check(page, "keyboard-thanks")
    site.send_due()
    only(site.smtp.to(PATIENT), "We have your enquiry")


def tab_through_and_answer(page) -> list[dict]:
    """Tab from the top of the form to its button, answering on the way; Enter sends it."""
    visited = []
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        visited.append(stop)
        key = (stop["name"], stop["value"])
        if stop["tag"] == "button" and stop["text"] == "Send my enquiry":
            page.keyboard.press("Enter")
            return visited
        if stop["name"] in TYPED:
            page.keyboard.type(TYPED[stop["name"]])
        elif key in SPACE_ON:
            page.keyboard.press("Space")
        elif key in ARROWS:
            for _ in range(ARROWS[key]):
                page.keyboard.press("ArrowRight")
    raise AssertionError(f"Tab never reached the send button; focus went: {visited}")
