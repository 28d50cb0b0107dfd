"""Answering a request from the desk: confirm, decline, offer times, and what the patient gets.

Every action goes through the real page and its CSRF token, and every email through the
outbox to the loopback SMTP server. The pages read the clock, so the tests stand at a moment of
their own.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bookings.links import iso_utc
from app.bookings.service import confirm, free_slots
from app.models import Appointment
from app.timeutil import format_clinic_time, utcnow

from ...bookings.helpers import (
    ask_for,
    counts,
    fresh,
    has_ics,
    outbox_keys,
    soon_slot,
    text_of,
    wanting,
)
from ...conftest import form_tokens
from ...support.clock import AN_ORDINARY_MORNING
from ...support.desk import post_form
from ...support.outbox import send_due

pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

PATIENT = "ana@example.org"


def page_of(appointment) -> str:
    return f"/admin/bookings/{appointment.id}"


def act(desk, appointment, action: str, **fields):
    return post_form(desk, page_of(appointment), f"{page_of(appointment)}/{action}", **fields)


def later_slot(after, days: int = 1):
    """The first free slot at least `days` after `after` (Friday's next day is Monday's)."""
    return next(start for start, _ in free_slots() if start >= after + timedelta(days=days))


def to_patient(runner, smtp) -> list:
    send_due(runner)
    return smtp.to(PATIENT)


def test_the_request_page_shows_the_patient_the_reason_and_the_enquiry(desk, db):
    appointment = ask_for(soon_slot(), utcnow())
    appointment.reason = "Stiff <neck> after driving"
    db.session.commit()
    page = desk.get(page_of(appointment)).text
    assert "Ana Silva" in page and PATIENT in page and "+447710466880" in page
    assert "Stiff &lt;neck&gt; after driving" in page
    assert format_clinic_time(appointment.starts_at, "%H:%M, %A %-d %B %Y") in page
    assert "none linked" in page


def test_confirming_at_the_asked_for_time_emails_an_invitation(desk, runner, smtp):
    start = soon_slot()
    appointment = ask_for(start, utcnow())
    response = act(desk, appointment, "confirm", slot="")
    assert response.status_code == 303
    assert "Confirmed for" in desk.get(response.headers["Location"]).text
    assert fresh(appointment).status == "confirmed" and fresh(appointment).starts_at == start
    confirmation = [m for m in to_patient(runner, smtp) if "confirmed" in m["Subject"]]
    assert len(confirmation) == 1 and has_ics(confirmation[0])
    assert format_clinic_time(start, "%H:%M") in confirmation[0]["Subject"]


def test_confirming_at_another_free_time_moves_the_request_there(desk, runner, smtp):
    asked = soon_slot()
    appointment = ask_for(asked, utcnow())
    other = later_slot(asked)
    page = desk.get(page_of(appointment)).text
    assert f'value="{other.isoformat()}"' in page  # offered in the list of free slots
    response = act(desk, appointment, "confirm", slot=other.isoformat())
    assert response.status_code == 303
    assert fresh(appointment).starts_at == other
    (confirmation,) = [m for m in to_patient(runner, smtp) if "confirmed" in m["Subject"]]
    assert format_clinic_time(other, "%H:%M") in confirmation["Subject"]


def test_a_request_without_a_time_needs_one_chosen(desk):
    appointment = wanting(utcnow())
    page = desk.get(page_of(appointment)).text
    assert "Any weekday morning" in page
    before = counts()
    response = act(desk, appointment, "confirm", slot="")
    assert response.status_code == 400
    assert "Choose a time from the list." in response.text
    assert counts() == before and fresh(appointment).status == "requested"


def test_a_slot_taken_meanwhile_gets_a_clear_message_and_changes_nothing(desk, db):
    asked = soon_slot()
    appointment = ask_for(asked, utcnow())
    other = later_slot(asked)
    page = desk.get(page_of(appointment))
    # Another patient is confirmed at that time while the osteopath is still looking.
    rival = ask_for(other, utcnow(), name="Rita Rival", email="rita@example.org")
    confirm(rival)
    before = counts()
    response = desk.post(f"{page_of(appointment)}/confirm",
                         data={**form_tokens(page.text), "slot": other.isoformat()})
    assert response.status_code == 409
    assert "that time is no longer free" in response.text
    assert f'value="{other.isoformat()}" selected' not in response.text  # it is gone
    assert counts() == before and fresh(appointment).status == "requested"


def test_the_database_guard_speaks_if_the_time_overlaps_a_confirmed_one(desk, db):
    asked = soon_slot()
    appointment = ask_for(asked, utcnow())
    rival = ask_for(None, utcnow(), ["any"], name="Rita Rival", email="rita@example.org")
    # Confirmed by the service at the very same time: the request's own hold is ignored.
    confirm(rival, asked)
    response = act(desk, appointment, "confirm", slot="")
    assert response.status_code == 409
    assert "overlaps an appointment that is already confirmed" in response.text
    assert fresh(appointment).status == "requested"


def test_pressing_confirm_twice_confirms_once_and_sends_one_email(desk, runner, smtp):
    appointment = ask_for(soon_slot(), utcnow())
    tokens = form_tokens(desk.get(page_of(appointment)).text)
    first = desk.post(f"{page_of(appointment)}/confirm", data={**tokens, "slot": ""})
    second = desk.post(f"{page_of(appointment)}/confirm", data={**tokens, "slot": ""})
    assert first.status_code == second.status_code == 303
    assert "cannot be done now" in desk.get(second.headers["Location"]).text
    assert sum(":confirmed:" in key for key in outbox_keys()) == 1
    assert len([m for m in to_patient(runner, smtp) if "confirmed" in m["Subject"]]) == 1


def test_declining_needs_a_reason_and_sends_it(desk, runner, smtp):
    appointment = ask_for(soon_slot(), utcnow())
    before = counts()
    empty = act(desk, appointment, "decline", reason="   ")
    assert empty.status_code == 400 and "Give the patient a short reason." in empty.text
    too_long = act(desk, appointment, "decline", reason="x" * 501)
    assert too_long.status_code == 400 and "500 characters or fewer" in too_long.text
    assert "x" * 501 in too_long.text  # what was typed is kept
    assert counts() == before
    response = act(desk, appointment, "decline", reason="I am away that week.")
    assert response.status_code == 303
    assert fresh(appointment).status == "declined"
    (declined,) = [m for m in to_patient(runner, smtp) if m["Subject"].startswith("About")]
    assert "I am away that week." in text_of(declined)
    again = act(desk, appointment, "decline", reason="Again")
    assert again.status_code == 303 and fresh(appointment).decline_reason == "I am away that week."


def test_offering_up_to_three_free_times_sends_one_email_with_a_link_each(desk, runner, smtp):
    asked = soon_slot()
    appointment = ask_for(asked, utcnow())
    first = later_slot(asked)
    second = later_slot(first)
    response = act(desk, appointment, "propose", slot_1=first.isoformat(),
                   slot_2=second.isoformat(), slot_3="")
    assert response.status_code == 303
    offered = fresh(appointment)
    assert offered.status == "offered" and offered.offered_starts == [iso_utc(first),
                                                                       iso_utc(second)]
    page = desk.get(page_of(appointment)).text
    assert format_clinic_time(first, "%H:%M, %A %-d %B %Y") in page
    # A second press offers the same times: the same email, not another one.
    act(desk, appointment, "propose", slot_1=first.isoformat(), slot_2=second.isoformat())
    (offer,) = [m for m in to_patient(runner, smtp) if m["Subject"].startswith("Times we can")]
    assert text_of(offer).count("/booking/offer/") == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose a time from the list."),
        ({"slot_1": "tomorrow at nine"}, "Choose a time from the list."),
        ({"slot_1": "2030-01-01T09:00"}, "Choose a time from the list."),  # no zone
        ({"slot_1": "0001-01-01T00:00:00+01:00"}, "Choose a time from the list."),
        ({"slot_1": "2030-01-01T09:00:00+00:00" + "0" * 20}, "Choose a time from the list."),
    ],
)
def test_a_bad_offer_is_refused_inline(desk, fields, message):
    appointment = ask_for(soon_slot(), utcnow())
    before = counts()
    response = act(desk, appointment, "propose", **fields)
    assert response.status_code == 400 and message in response.text
    assert counts() == before


def test_a_request_linked_to_an_enquiry_links_back_to_it(desk, db):
    from ...support.desk import add_enquiry

    enquiry = add_enquiry(name="Ana Silva", email=PATIENT)
    appointment = ask_for(soon_slot(), utcnow())
    appointment.enquiry_id = enquiry.id
    db.session.commit()
    page = desk.get(page_of(appointment)).text
    assert f'href="/admin/enquiries/{enquiry.id}"' in page
    enquiry_page = desk.get(f"/admin/enquiries/{enquiry.id}").text
    assert f'href="/admin/bookings/{appointment.id}"' in enquiry_page


@pytest.mark.parametrize("action", ["confirm", "decline", "propose", "reschedule", "cancel"])
def test_unknown_appointments_are_a_404_page(desk, action):
    assert desk.get("/admin/bookings/999999").status_code == 404
    response = post_form(desk, "/admin/", f"/admin/bookings/999999/{action}", reason="x")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_post_without_its_token_changes_nothing(desk, db):
    appointment = ask_for(soon_slot(), utcnow())
    before = counts()
    response = desk.post(f"{page_of(appointment)}/decline", data={"reason": "No"})
    assert response.status_code == 400
    assert counts() == before
    assert db.session.execute(select(Appointment.status)).scalar_one() == "requested"
