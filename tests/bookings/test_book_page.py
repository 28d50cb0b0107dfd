"""/book: free times by week, a request for one, and everything that must change nothing."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.bookings.links import book_from_enquiry_token, iso_utc
from app.enquiries.service import submit_enquiry
from app.models import Appointment

from ..conftest import form_tokens
from ..support.clock import AN_ORDINARY_MORNING
from ..support.outbox import send_due, submission
from .helpers import LONDON, counts, soon_slot

# /book lays out the free times from the clock's now.
pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

RADIO = re.compile(r'name="slot" id="slot-[^"]+" value="([^"]+)"')


def answers(**changes) -> dict:
    values = {
        "name": "Ana Silva", "email": "ana@example.org", "phone": "07710 466880",
        "reason": "Low back pain when sitting", "preferred_1": "", "preferred_2": "",
        "preferred_3": "", "website": "", "consent_contact": "y",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def post_booking(client, path="/book", remote_addr="127.0.0.1", **changes):
    """GET the form, then POST it, from the network address `remote_addr`."""
    environ = {"REMOTE_ADDR": remote_addr}
    page = client.get(path, environ_base=environ)
    return client.post(path, data={**form_tokens(page.text), **answers(**changes)},
                       environ_base=environ)


def test_the_page_lists_free_times_by_day_and_pages_by_week(client):
    slot = soon_slot()
    page = client.get("/book")
    assert page.status_code == 200
    first_week = RADIO.findall(page.text)
    assert first_week and first_week == sorted(first_week)
    assert "Week beginning" in page.text and "Later week" in page.text
    next_week = RADIO.findall(client.get("/book?week=1").text)
    assert next_week and min(next_week) > max(first_week)
    shown = slot.astimezone(LONDON)
    page_with_slot = client.get(f"/book?week={0 if iso_utc(slot) in first_week else 1}").text
    assert iso_utc(slot) in page_with_slot
    assert shown.strftime("%A %-d %B") in page_with_slot
    assert client.get("/book?week=999").status_code == 200  # out of range shows the first week


def test_booking_a_free_slot_holds_it_and_says_thank_you(app, client, db):
    slot = soon_slot()
    response = post_booking(client, slot=iso_utc(slot))
    assert response.status_code == 303 and response.location.endswith("/book/thanks")
    thanks = client.get("/book/thanks")
    assert "We are keeping this" in thanks.text
    assert slot.astimezone(LONDON).strftime("%H:%M") in thanks.text
    appointment = db.session.execute(select(Appointment)).scalar_one()
    assert (appointment.status, appointment.starts_at) == ("requested", slot)
    assert appointment.phone == "+447710466880" and appointment.hold_until is not None
    assert iso_utc(slot) not in client.get("/book?week=0").text + client.get("/book?week=1").text


def test_preferred_times_without_a_slot(client, db):
    response = post_booking(client, preferred_1="Tuesday mornings", preferred_3="After 4pm")
    assert response.status_code == 303
    appointment = db.session.execute(select(Appointment)).scalar_one()
    assert appointment.starts_at is None
    assert appointment.preferred_times == ["Tuesday mornings", "After 4pm"]


def test_the_form_prefills_from_an_enquiry_link_and_links_the_request(app, client, db):
    enquiry = submit_enquiry(submission(phone="+447700900123"))
    path = f"/book?enquiry={book_from_enquiry_token(enquiry.id)}"
    page = client.get(path)
    assert 'value="Sam Patel"' in page.text and 'value="sam@example.org"' in page.text
    response = client.post("/book", data={
        **form_tokens(page.text), **answers(name="Sam Patel", email="sam@example.org",
                                            preferred_1="Monday"),
    })
    assert response.status_code == 303
    assert db.session.execute(select(Appointment.enquiry_id)).scalar_one() == enquiry.id


def test_a_broken_enquiry_link_still_shows_an_empty_form(client):
    page = client.get("/book?enquiry=not-a-real-token")
    assert page.status_code == 200
    assert "We could not fill in your details" in page.text


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({}, 400, "Choose one of the times shown, or tell us"),
        ({"name": "A" * 121, "preferred_1": "Monday"}, 400, "120 characters or fewer"),
        ({"preferred_2": "x" * 101}, 400, "100 characters or fewer"),
        ({"reason": "y" * 2001, "preferred_1": "Monday"}, 400, "2,000 characters or fewer"),
        ({"email": "not-an-email", "preferred_1": "Monday"}, 400, "Enter an email address"),
        ({"slot": "banana"}, 400, "Choose one of the times shown."),
        ({"website": "http://spam.example", "preferred_1": "Monday"}, 400, "call us"),
    ],
    ids=["no-time", "long-name", "long-preference", "long-reason", "bad-email", "garbage-slot",
         "honeypot"],
)
def test_bad_input_is_shown_inline_and_changes_nothing(client, changes, status, message):
    soon_slot()
    before = counts()
    response = post_booking(client, **changes)
    assert response.status_code == status
    assert message in response.text
    assert counts() == before


def test_a_missing_csrf_token_changes_nothing_and_keeps_the_answers(client):
    before = counts()
    page = client.get("/book")
    tokens = {k: v for k, v in form_tokens(page.text).items() if k != "csrf_token"}
    response = client.post("/book", data={**tokens, **answers(preferred_1="Monday")})
    assert response.status_code == 400
    assert "could not send the form" in response.text and 'value="Ana Silva"' in response.text
    assert counts() == before


def test_a_slot_taken_meanwhile_or_off_the_grid_is_refused(client):
    slot = soon_slot()
    assert post_booking(client, slot=iso_utc(slot)).status_code == 303
    before = counts()
    for start in (slot, slot + timedelta(minutes=30), slot + timedelta(days=365)):
        # Another person, on another network: the first request's hold keeps the slot.
        response = post_booking(client, slot=iso_utc(start), name="Ben Ng",
                                email="ben@example.org", remote_addr="198.51.100.20")
        assert response.status_code == 409
        assert "that time is no longer free" in response.text
        assert 'value="Ben Ng"' in response.text
    assert counts() == before


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True, "ENQUIRY_RATE_LIMIT": "2 per minute"}

    def test_posts_over_the_limit_get_a_clear_429(self, client):
        statuses = [post_booking(client, preferred_1="Monday").status_code for _ in range(3)]
        assert statuses == [303, 303, 429]
        assert counts()["appointments"] == 2


def test_the_agreement_is_required_and_recorded_with_its_wording(app, client, db):
    refused = post_booking(client, consent_contact=None, preferred_1="Monday mornings")
    assert refused.status_code == 400
    assert "We need your agreement to arrange your appointment." in refused.text
    assert db.session.scalar(select(func.count()).select_from(Appointment)) == 0

    assert post_booking(client, preferred_1="Monday mornings").status_code == 303
    appointment = db.session.execute(select(Appointment)).scalar_one()
    assert appointment.consent_version == app.config["CONSENT_WORDING_VERSION"]
    assert appointment.consent_at == appointment.created_at


@pytest.mark.parametrize(
    "slot", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "2030-01-07T09:00:00"]
)
def test_a_slot_no_diary_could_hold_is_refused_not_a_crash(client, db, slot):
    # Even without a CSRF token the page is shown again around the chosen time.
    bare = client.post("/book", data={"slot": slot})
    assert bare.status_code == 400
    response = post_booking(client, slot=slot)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Appointment)) == 0


SPAM = "Win a prize at https://prize.example"


@pytest.mark.parametrize("with_slot", [True, False], ids=["slot", "preferred-times"])
def test_the_patients_copy_repeats_nothing_they_typed(app, client, runner, smtp, with_slot):
    """Anyone can type any address on /book: the email to it carries the clinic's words and
    the slot, not the name, reason or preferred times typed (the osteopath's copy has them)."""
    typed = {"name": SPAM, "reason": f"{SPAM} reason", "preferred_1": f"{SPAM} times"}
    if with_slot:
        typed["slot"] = iso_utc(soon_slot())
    assert post_booking(client, **typed).status_code == 303
    send_due(runner)
    (received,) = smtp.to("ana@example.org")
    assert [(a.display_name, a.addr_spec) for a in received["To"].addresses] == [
        ("", "ana@example.org")
    ]
    for part in ("plain", "html"):
        assert SPAM not in received.get_body((part,)).get_content()
    notice = smtp.to(app.config["CLINIC_NOTIFY_EMAIL"])[0].get_body(("plain",)).get_content()
    assert f"{SPAM} reason" in notice
