"""After an erasure, the next person never gets the erased person's record numbers.

Emailed links and outbox keys name records by id. SQLite would hand the newest erased id to
the next row (migration 0008 stops it), so the erased person's old link would open the next
person's booking, and the next person's emails would look already sent.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.bookings.links import manage_token
from app.extensions import db
from app.models import OutboxMessage
from app.models.outbox import PENDING
from app.programme.service import enrolment_for
from app.tokens import make_token

from ..bookings.helpers import ask_for, soon_slot
from ..support.clock import AN_ORDINARY_MORNING
from ..support.desk import post_form
from ..support.programme import patient_on_programme
from .helpers import EMAIL, person_everywhere

# Both people book a free slot, and free slots are laid out from the clock's now.
pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

NEXT_NAME, NEXT_EMAIL = "Idris Achterberg", "idris.a@example.org"


def test_the_next_person_gets_new_numbers_and_the_old_links_find_nothing(desk, client):
    enquiry_id, appointment_id = person_everywhere(desk)
    enrolment_id = enrolment_for(enquiry_id).id
    erased = post_form(desk, "/admin/privacy/", "/admin/privacy/erase", email=EMAIL,
                       confirm=EMAIL)
    assert erased.status_code == 303

    now = datetime.now(UTC)
    enrolment = patient_on_programme(now, name=NEXT_NAME, email=NEXT_EMAIL)
    appointment = ask_for(soon_slot(), now, name=NEXT_NAME, email=NEXT_EMAIL)
    assert enrolment.enquiry_id > enquiry_id
    assert enrolment.id > enrolment_id
    assert appointment.id > appointment_id

    acknowledgement = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.idempotency_key == f"enquiry:{enrolment.enquiry_id}:acknowledgement"
    )).scalar_one()
    assert (acknowledgement.recipient, acknowledgement.status) == (NEXT_EMAIL, PENDING)

    for old_link in (f"/booking/{manage_token(appointment_id)}",
                     f"/checkin/{make_token('checkin', enrolment_id, week=2)}"):
        page = client.get(old_link)
        assert page.status_code == 404, old_link
        assert NEXT_NAME not in page.text
