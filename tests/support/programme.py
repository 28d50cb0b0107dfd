"""A patient on the programme, and answering their emails as they would."""

import re
from datetime import datetime

from app.content.service import load_defaults
from app.enquiries.service import EnquirySubmission, submit_enquiry
from app.programme.confirmation import confirm_address

from ..conftest import form_tokens

URL = re.compile(r"https?://\S+")


def patient_on_programme(now: datetime, **answers):
    """An enquiry with follow-up consent and a clear screen, whose patient confirms their
    address (the link in the acknowledgement) at `now`, which starts the programme."""
    load_defaults()
    values = dict(
        name="Alex Morgan", email="alex@example.org", problem="back", location="lower back",
        duration="over_3_months", pain_score=5, consent_contact=True, consent_followup=True,
        triggers=["walking_uphill"],
    )
    values.update(answers)
    enquiry = submit_enquiry(EnquirySubmission(**values), now=now)
    enrolment = confirm_address(enquiry, now=now)
    assert enrolment is not None, "the confirmation should have started the programme"
    return enrolment


def links(message) -> list[str]:
    return URL.findall(message.get_body(("plain",)).get_content())


def link_containing(message, fragment: str) -> str:
    return next(url for url in links(message) if fragment in url)


def checkin_answers(**overrides) -> dict:
    answers = {
        "sessions_per_week": "3",
        "sets": "3",
        "repetitions": "8",
        "effort": "about_right",
        "knees_very_wide": "no",
        "weaker_side": "neither",
        "band": "green",
        "pain_score": "4",
        "red_flags": ["none"],
        "notes": "",
    }
    answers.update(overrides)
    return answers


def answer_checkin(client, url: str, **overrides):
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200, page.text
    return client.post("/" + path, data={**form_tokens(page.text), **checkin_answers(**overrides)})
