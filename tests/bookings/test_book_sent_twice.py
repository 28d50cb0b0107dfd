"""/book sent twice (a double click, back and resend, a second tab of the same page) makes one
request and answers with the same thank-you page; the form's one-time key does it, checked by
the database rather than by a read before the write."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.bookings.diary import load_defaults
from app.bookings.links import iso_utc
from app.bookings.service import free_slots
from app.extensions import db
from app.models import Appointment

from ..conftest import form_tokens
from ..support.outbox import statements
from ..support.sent_twice import racing_sends
from .helpers import counts
from .test_book_page import answers

NOW = datetime(2027, 4, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def slot(app):
    load_defaults()
    with time_machine.travel(NOW, tick=False):
        yield next(start for start, _ in free_slots(NOW) if start >= NOW + timedelta(days=2))


def form(client, **changes) -> dict:
    return {**form_tokens(client.get("/book").text), **answers(**changes)}


@pytest.mark.parametrize("kind", ["slot", "preferred-times"])
def test_the_same_form_sent_twice_makes_one_request_and_the_same_thank_you(client, slot, kind):
    sent = form(client, **({"slot": iso_utc(slot)} if kind == "slot" else
                           {"preferred_1": "Tuesday mornings"}))
    first = client.post("/book", data=sent)
    assert first.status_code == 303
    thanks = client.get("/book/thanks").text
    held_until = db.session.execute(select(Appointment.hold_until)).scalar_one()
    again = client.post("/book", data=sent)
    assert again.status_code == 303 and again.location == first.location
    assert client.get("/book/thanks").text == thanks
    assert counts() == {"appointments": 1, "outbox": 2}
    # The resend changed nothing of the first: a held slot is still held, as long.
    assert db.session.execute(select(Appointment.hold_until)).scalar_one() == held_until
    assert (held_until is not None) is (kind == "slot")


def test_a_new_form_is_a_new_request(client, slot):
    for _ in range(2):
        assert client.post("/book", data=form(client, preferred_1="Monday")).status_code == 303
    assert counts() == {"appointments": 2, "outbox": 4}


def sql_of_the_post(client, data) -> list[str]:
    with statements(db.engine, "") as run:
        response = client.post("/book", data=data)
    assert response.status_code == 303
    return [statement.strip() for statement in run]


def test_a_request_for_preferred_times_is_written_without_a_read(client, slot):
    """The emails' keys are new with the request and the thank-you is read before the commit:
    the POST writes the request and its two emails and reads nothing."""
    statements = sql_of_the_post(client, form(client, preferred_1="Tuesday mornings"))
    verbs = [statement.split(None, 1)[0].upper() for statement in statements]
    assert "SELECT" not in verbs, statements
    assert verbs.count("INSERT") in (2, 3)  # two emails in one statement where it can
    assert counts() == {"appointments": 1, "outbox": 2}


def test_a_request_for_a_slot_reads_the_diary_only_and_nothing_back(client, slot):
    """The free-slot check must read the diary; nothing looks for the form's key, and after
    the request is written nothing is read back."""
    statements = sql_of_the_post(client, form(client, slot=iso_utc(slot)))
    reads = [s for s in statements if s.upper().startswith("SELECT")]
    assert reads and not [s for s in reads if "submission_key" in s], reads
    first_insert = next(i for i, s in enumerate(statements) if s.upper().startswith("INSERT"))
    assert not [s for s in statements[first_insert:] if s.upper().startswith("SELECT")]


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["slot", "preferred-times"])
def test_two_sends_at_the_same_moment_make_one_request(app, client, slot, kind):
    """Two real connections. For a slot, the second send waits on the diary lock, then finds
    the slot held and answers with the first's request; without one, it waits on the unique
    key and fails on it."""
    sent = form(client, **({"slot": iso_utc(slot)} if kind == "slot" else
                           {"preferred_1": "Tuesday mornings"}))
    (first, first_page), (second, second_page) = racing_sends(app, client, "/book", sent)
    assert (first, second) == (303, 303)
    assert "Thank you, we have your request" in first_page and first_page == second_page
    assert counts() == {"appointments": 1, "outbox": 2}
