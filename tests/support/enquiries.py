"""Filling in the enquiry form as a person would."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Enquiry, OutboxMessage

from ..conftest import form_tokens


def valid_answers(**overrides) -> dict:
    answers = {
        "name": "Sam Patel",
        "email": "sam@example.org",
        "phone": "07710 466880",
        "problem": "back",
        "location": "Lower back, left side",
        "duration": "6_weeks_to_3_months",
        "triggers": ["long_sitting", "getting_out_of_car"],
        "trigger_other": "",
        "pain_score": "6",
        "message": "It is worse in the mornings.",
        "red_flags": ["none"],
        "consent_contact": "y",
        "consent_followup": "y",
        "website": "",
    }
    answers.update(overrides)
    return {key: value for key, value in answers.items() if value is not None}


def post_enquiry(client, path="/enquire", **overrides):
    """GET the form (for its tokens), then POST the answers; returns the POST's response."""
    page = client.get(path)
    return client.post("/enquire", data={**form_tokens(page.text), **valid_answers(**overrides)})


def row_counts() -> dict:
    return {
        "enquiries": db.session.scalar(select(func.count()).select_from(Enquiry)),
        "outbox": db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    }
