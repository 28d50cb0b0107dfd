"""A person with a trace in every part of the desk, and a search of every table for them."""

from datetime import UTC, datetime

import sqlalchemy as sa

from app.extensions import db
from app.tokens import make_token

from ..bookings.helpers import ask_for, soon_slot
from ..support.desk import post_form
from ..support.programme import answer_checkin, patient_on_programme

NAME = "Zofia Quennell-Hart"
EMAIL = "zofia.qh@example.org"
PHONE_E164 = "+447700900123"
PHONE_TYPED = "07700 900123"
MESSAGE = "My left sacroiliac joint clicks when I climb stairs"


def person_everywhere(desk):
    """An enquiry with a reply, a running programme with a check-in, a booking, and emails
    still waiting; every text a person would recognise carries their name, email or words.
    The test sets the clock: the booking is for a free slot days after it."""
    now = datetime.now(UTC)
    enrolment = patient_on_programme(now, name=NAME, email=EMAIL, phone=PHONE_E164,
                                     message=MESSAGE)
    enquiry_id = enrolment.enquiry_id
    page = f"/admin/enquiries/{enquiry_id}"
    reply = post_form(desk, page, f"{page}/reply", subject=f"For {NAME}",
                      message=f"Dear {NAME}, about {MESSAGE}.")
    assert reply.status_code == 303, reply.text
    checkin = answer_checkin(desk, "http://x/checkin/" + make_token("checkin", enrolment.id,
                                                                      week=2),
                             notes=f"{MESSAGE} still, says {NAME}")
    assert checkin.status_code == 200, checkin.text
    appointment = ask_for(soon_slot(), now, name=NAME, email=EMAIL)
    appointment.enquiry_id = enquiry_id
    appointment.phone = PHONE_E164
    appointment.reason = MESSAGE
    db.session.commit()
    return enquiry_id, appointment.id


def traces(*needles: str) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text or JSON value in the database containing any
    of the needles, case-insensitively; the audit log included."""
    found = []
    lowered = [needle.lower() for needle in needles]
    # Through the test's own session: on SQLite a second connection would wait on its lock.
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                text = str(value).lower()
                if any(needle in text for needle in lowered):
                    found.append((table.name, column.name, str(value)[:80]))
    return found
