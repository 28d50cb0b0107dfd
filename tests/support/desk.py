"""Staff accounts, signing in, and enquiries to put on the desk."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.auth.service import create_staff
from app.enquiries.service import EnquirySubmission, submit_enquiry
from app.extensions import db
from app.models import Enquiry, EnquiryReply, OutboxMessage, StaffUser

from ..conftest import FAST_HASHING, form_tokens  # noqa: F401  (FAST_HASHING for tests)

STAFF_EMAIL = "osteopath@clinic.example"
PASSWORD = "correct horse battery"
SIGN_IN = "/admin/sign-in"


def make_staff(email: str = STAFF_EMAIL, password: str = PASSWORD) -> StaffUser:
    return create_staff(email, password)


def sign_in(client, email: str = STAFF_EMAIL, password: str = PASSWORD, path: str = SIGN_IN):
    """GET the sign-in page for its CSRF token, then POST; returns the POST's response."""
    page = client.get(path)
    return client.post(
        path, data={**form_tokens(page.text), "email": email, "password": password}
    )


def post_form(client, page_path: str, action: str, **fields):
    """Send a form from a desk page with the page's own tokens, as a browser would."""
    page = client.get(page_path)
    assert page.status_code == 200, page.status_code
    return client.post(action, data={**form_tokens(page.text), **fields})


def add_enquiry(
    name: str = "Sam Patel",
    email: str = "sam@example.org",
    red_flags: list[str] | None = None,
    created_at: datetime | None = None,
    status: str | None = None,
) -> Enquiry:
    enquiry = submit_enquiry(
        EnquirySubmission(
            name=name,
            email=email,
            problem="back",
            location="Lower back",
            duration="6_weeks_to_3_months",
            triggers=["long_sitting"],
            pain_score=6,
            message="Worse in the mornings.",
            red_flags=red_flags or [],
            consent_contact=True,
        )
    )
    if created_at is not None:
        enquiry.created_at = created_at
    if status is not None:
        enquiry.status = status
    db.session.commit()
    return enquiry


def desk_counts() -> dict:
    return {
        "replies": db.session.scalar(select(func.count()).select_from(EnquiryReply)),
        "outbox": db.session.scalar(select(func.count()).select_from(OutboxMessage)),
        "statuses": dict(db.session.execute(select(Enquiry.id, Enquiry.status)).all()),
    }


@pytest.fixture
def staff(app) -> StaffUser:
    return make_staff()


@pytest.fixture
def desk(client, staff):
    """A test client signed in to the desk."""
    response = sign_in(client)
    assert response.status_code == 303, response.text
    return client
