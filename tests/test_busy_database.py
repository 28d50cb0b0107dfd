"""A database busy past its timeout: every public form that saves answers 503 with Retry-After,
shows the form again with everything typed, says nothing was saved, and saves nothing.

Another connection holds the write lock while the form is sent: BEGIN IMMEDIATE on SQLite; on
PostgreSQL a lock on every table that lets reads through and makes every write wait, which the
app gives up on after DATABASE_BUSY_TIMEOUT (its lock_timeout).
"""

import sqlite3
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy import func, select

from app.bookings.links import manage_token, offer_url
from app.bookings.service import confirm, propose_times
from app.enquiries.service import submit_enquiry
from app.errors import RETRY_AFTER_SECONDS
from app.extensions import db
from app.models import Appointment, CheckIn, Enquiry, Enrolment, OutboxMessage
from app.programme.emails import confirm_address_url
from app.tokens import make_token

from .bookings.helpers import MONDAY_9AM_BST, SPRING_NOW, ask_for, path_of, wanting
from .conftest import FAST_HASHING, form_tokens, make_app
from .enquiries.pages import shown_values
from .security.routes import public_posts
from .support.desk import add_enquiry, sign_in
from .support.enquiries import valid_answers
from .support.outbox import submission
from .support.programme import checkin_answers, patient_on_programme

NOTHING_SAVED = "Nothing was saved."
# A moment the appointments below are still ahead of.
NOW = SPRING_NOW


@pytest.fixture
def app_overrides():
    return {**FAST_HASHING, "DATABASE_BUSY_TIMEOUT": 0.2}


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW):
        yield


@contextmanager
def write_lock_held(database_url: str):
    """Another connection holds the write lock until the block ends."""
    db.session.commit()  # the test's own session holds nothing meanwhile
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = psycopg.connect(url.set(drivername="postgresql").render_as_string(False))
        tables = ", ".join(table.name for table in db.metadata.sorted_tables)
        holder.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


def state() -> dict:
    """Everything a public form could change."""
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return {
        "counts": [count(model) for model in (Enquiry, Appointment, CheckIn, OutboxMessage)],
        "appointments": db.session.execute(select(
            Appointment.status, Appointment.cancel_reason, Appointment.reschedule_note,
            Appointment.reschedule_requested)).all(),
        "enrolments": db.session.execute(select(Enrolment.status)).scalars().all(),
        "confirmed": db.session.execute(select(Enquiry.email_confirmed_at)).scalars().all(),
        "outbox": db.session.execute(select(OutboxMessage.status)).scalars().all(),
    }


def assert_kept_and_nothing_saved(response, before: dict, *typed: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert NOTHING_SAVED in response.text
    assert 'class="error-message"' not in response.text  # nothing else is said to be wrong
    for text in typed:
        assert text in response.text, text
    db.session.expire_all()
    assert state() == before


def test_the_enquiry_form_comes_back_with_every_answer(client, database_url):
    typed = valid_answers(name="Busy Bea", message="Sharp pain when I turn over in bed.",
                          trigger_other="Gardening")
    tokens = form_tokens(client.get("/enquire").text)
    before = state()
    with write_lock_held(database_url):
        response = client.post("/enquire", data={**tokens, **typed})
    assert_kept_and_nothing_saved(response, before)
    shown = shown_values(response.text)
    for name, value in typed.items():
        ticked = isinstance(shown[name], list)  # a group of options shows what is ticked
        assert shown[name] == ([value] if ticked and isinstance(value, str) else value), name
    # The same page sent again once the database is free is saved.
    again = client.post("/enquire", data={**form_tokens(response.text), **typed})
    assert again.status_code == 303


def test_the_booking_form_comes_back_with_every_answer(client, database_url):
    typed = {"name": "Busy Bo", "email": "bo@example.org", "phone": "07710 466880",
             "reason": "Stiff neck after a long drive", "preferred_1": "Tuesday mornings",
             "preferred_2": "", "preferred_3": "", "website": "", "consent_contact": "y"}
    tokens = form_tokens(client.get("/book").text)
    before = state()
    with write_lock_held(database_url):
        response = client.post("/book", data={**tokens, **typed})
    assert_kept_and_nothing_saved(response, before, 'value="Busy Bo"', 'value="bo@example.org"',
                                  "Stiff neck after a long drive", 'value="Tuesday mornings"')


def _checkin():
    enrolment = patient_on_programme(NOW - timedelta(days=14))
    path = f"/checkin/{make_token('checkin', enrolment.id, week=2)}"
    return path, path, checkin_answers(notes="Easier on the stairs now"), [
        "Easier on the stairs now"]


def _confirmed() -> Appointment:
    return confirm(ask_for(MONDAY_9AM_BST, NOW), now=NOW)


def _cancel():
    page = f"/booking/{manage_token(_confirmed().id)}"
    return page, f"{page}/cancel", {"reason": "Away that week"}, ['value="Away that week"']


def _reschedule():
    page = f"/booking/{manage_token(_confirmed().id)}"
    return page, f"{page}/reschedule", {"note": "Any Friday afternoon"}, [
        "Any Friday afternoon"]


def _accept_offer():
    appointment = propose_times(wanting(NOW), [MONDAY_9AM_BST], now=NOW)
    path = path_of(offer_url(appointment.id, MONDAY_9AM_BST))
    return path, path, {}, ["Monday 29 March 2027"]


def _confirm_address():
    enquiry = submit_enquiry(submission(consent_followup=True), now=NOW)
    path = path_of(confirm_address_url(enquiry.id))
    return path, path, {}, ["Confirm your email address"]


def _unsubscribe():
    enrolment = patient_on_programme(NOW)
    path = f"/programme/unsubscribe/{make_token('unsubscribe', enrolment.id)}"
    return path, path, {}, []


@pytest.mark.parametrize("form", [_checkin, _cancel, _reschedule, _accept_offer,
                                  _confirm_address, _unsubscribe],
                         ids=["check-in", "cancel", "ask-to-move", "accept-offer",
                              "confirm-address", "unsubscribe"])
def test_the_forms_behind_a_link_come_back_as_typed(client, database_url, form):
    page, action, typed, shown = form()
    tokens = form_tokens(client.get(page).text)
    before = state()
    with write_lock_held(database_url):
        response = client.post(action, data={**tokens, **typed})
    assert_kept_and_nothing_saved(response, before, *shown)


def test_any_other_page_answers_503_with_retry_after(client, staff, database_url):
    enquiry_id = add_enquiry().id
    assert sign_in(client).status_code == 303
    before = state()
    with write_lock_held(database_url):
        response = client.get(f"/admin/enquiries/{enquiry_id}")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "nothing was saved" in response.text
    db.session.expire_all()
    assert state() == before


def test_every_public_form_that_saves_is_kept_when_busy(app):
    """A form added later is covered too: every public POST in the URL map."""
    endpoints = [endpoint for endpoint, _ in public_posts(app)]
    assert len(endpoints) >= 7
    for endpoint in endpoints:
        assert getattr(app.view_functions[endpoint], "form_kept_when_busy", False), endpoint


def test_a_database_that_cannot_be_reached_keeps_the_form_too(smtp):
    """No server answers at all (PostgreSQL's connection failures): the same 503, the same
    answers kept."""
    unreachable = make_app("postgresql+psycopg://clinic@127.0.0.1:9/clinic", smtp.port,
                           **FAST_HASHING)
    with unreachable.app_context():
        client = unreachable.test_client()
        typed = valid_answers(name="Offline Olu")
        page = client.get("/enquire")
        response = client.post("/enquire", data={**form_tokens(page.text), **typed})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert NOTHING_SAVED in response.text and 'value="Offline Olu"' in response.text
        db.session.remove()
