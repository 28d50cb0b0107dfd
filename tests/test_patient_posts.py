"""What each POST a patient makes costs the database, statement by statement.

Each POST runs as a new request does, with nothing read before it, and the test names every
statement it runs by kind and table: a later change that adds a read or a flush fails here.
An enquiry ticks every box the form offers (every trigger, an appointment, the follow-up) with
a clear safety screen; the other three are the booking request for a free slot, the week-2
check-in and the press of the button that confirms an address and starts the programme.
"""


import pytest
from sqlalchemy import select

from app.bookings.links import iso_utc
from app.clinical.choices import TRIGGERS
from app.content.service import load_defaults
from app.extensions import db
from app.models import Enquiry
from app.programme.emails import confirm_address_url
from app.tokens import make_token

from .bookings.helpers import soon_slot
from .bookings.test_book_page import answers as booking_answers
from .conftest import form_tokens
from .support.clock import AN_ORDINARY_MORNING
from .support.enquiries import valid_answers
from .support.outbox import kind_of, statements
from .support.programme import checkin_answers, patient_on_programme

pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING, tick=False)

SQLITE_BEGIN = {"sqlite": ["BEGIN IMMEDIATE"], "postgresql": []}


def emails(backend: str, count: int) -> list[str]:
    """A POST's new emails: one INSERT each on SQLite, one for them all on PostgreSQL."""
    return ["INSERT INTO outbox_message"] * (count if backend == "sqlite" else 1)


def posted(client, path: str, answers: dict, status: int) -> list[str]:
    """GET the form, then POST it as a new request would (the GET's transaction and what it
    loaded gone); returns the kinds of the statements the POST ran."""
    page = client.get(path)
    db.session.remove()
    with statements(db.engine, "") as run:
        response = client.post(path, data={**form_tokens(page.text), **answers})
    assert response.status_code == status, response.text
    return [kind_of(statement) for statement in run]


def every_box_ticked() -> dict:
    return valid_answers(triggers=[code for code, _ in TRIGGERS], wants_appointment="y",
                         trigger_other="Gardening")


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_the_enquiry_with_every_box_ticked_writes_its_rows_and_reads_nothing(client, backend):
    assert posted(client, "/enquire?ref=part-2-hip-strength", every_box_ticked(), 303) == [
        *SQLITE_BEGIN[backend], "INSERT INTO enquiry", *emails(backend, 2),
    ]


def test_confirming_an_address_starts_the_programme_in_one_write(client, backend):
    load_defaults()
    client.post("/enquire", data={**form_tokens(client.get("/enquire").text),
                                  **every_box_ticked()})
    enquiry = db.session.execute(select(Enquiry)).scalar_one()
    # Reads first (the link's enquiry, an enrolment already made, a later red flag, the parts
    # of the series), then the enrolment (its emails' keys need its id), then in one flush
    # the confirmation's stamp and the programme's five emails, which are new, so unlooked for.
    assert posted(client, path_of(confirm_address_url(enquiry.id)), {}, 303) == [
        *SQLITE_BEGIN[backend], "SELECT enquiry", "SELECT enrolment", "SELECT enquiry",
        "SELECT series_part", "INSERT INTO enrolment", "UPDATE enquiry", *emails(backend, 5),
    ]


def test_a_booking_request_for_a_free_slot(client, backend):
    slot = soon_slot()
    # On SQLite the BEGIN IMMEDIATE every transaction starts with is the diary's lock.
    lock = {"sqlite": [], "postgresql": ["SELECT pg_advisory_xact_lock("]}
    # The diary's settings, hours and closures, read once before its lock; under the lock
    # this person's earlier hold ends and what is busy is read; old clients' hashes go, and
    # the request and its two emails are written.
    diary = ["SELECT booking_settings", "SELECT opening_period", "SELECT closure"]
    assert posted(client, "/book", booking_answers(slot=iso_utc(slot)), 303) == [
        *SQLITE_BEGIN[backend], *diary, *lock[backend], "UPDATE appointment",
        "SELECT appointment", "UPDATE appointment", "INSERT INTO appointment",
        *emails(backend, 2),
    ]


def test_a_check_in(client, backend):
    enrolment = patient_on_programme(AN_ORDINARY_MORNING)
    kinds = posted(client, f"/checkin/{make_token('checkin', enrolment.id, week=2)}",
                   checkin_answers(), 200)
    # The link's enrolment, then the answers: a week answered already is refused by the
    # unique index, and the thank-you page shows them without reading them back.
    assert kinds == [*SQLITE_BEGIN[backend], "SELECT enrolment", "INSERT INTO checkin"]
