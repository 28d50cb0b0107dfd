"""A patient's links: the manage page, cancelling, asking to move, and accepting an offer.

These pages read the clock, so the tests stand at a moment of their own and the appointments
are days after it.
"""

import time
from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.bookings.links import MANAGE, manage_token, offer_url
from app.bookings.service import confirm, propose_times
from app.models import OutboxMessage

from ..conftest import form_tokens
from ..support.clock import AN_ORDINARY_MORNING
from ..support.outbox import send_due
from .helpers import (
    ask_for,
    fresh,
    ics_of,
    link_with,
    outbox_keys,
    path_of,
    soon_slot,
    text_of,
    wanting,
)

pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

CLINIC = "osteopath@clinic.example"


class Backdated(TimestampSigner):
    def __init__(self, *args, seconds: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seconds = seconds

    def get_timestamp(self) -> int:
        return int(time.time()) - self.seconds


def old_manage_token(app, appointment_id: int, days: int) -> str:
    serializer = URLSafeTimedSerializer(
        app.secret_key, salt=f"clinic-desk:{MANAGE}", signer=Backdated,
        signer_kwargs={"seconds": days * 86400},
    )
    return serializer.dumps({"id": appointment_id})


def confirmed_soon(days_ahead: int = 3, **who):
    start = soon_slot(days_ahead)
    appointment = ask_for(start, datetime.now(UTC), **who)
    return confirm(appointment)


def manage_path(appointment) -> str:
    return f"/booking/{manage_token(appointment.id)}"


def post_on(client, page_path: str, action: str, **fields):
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    return client.post(action, data={**form_tokens(page.text), **fields})


def test_the_link_in_the_email_shows_that_appointment_only(app, client, runner, smtp):
    mine = confirmed_soon(name="Ana Silva", email="ana@example.org")
    confirmed_soon(days_ahead=5, name="Ben Ng", email="ben@example.org")
    send_due(runner)
    (confirmation,) = [m for m in smtp.to("ana@example.org") if "confirmed" in m["Subject"]]
    page = client.get(path_of(link_with(confirmation, "/booking/")))
    assert page.status_code == 200
    assert "Ana Silva" in page.text and "Ben Ng" not in page.text
    assert mine.starts_at.strftime("%Y") in page.text


@pytest.mark.parametrize(
    ("token_for", "status", "words"),
    [
        (lambda a, app: manage_token(a.id + 1000), 404, "This link does not work"),
        (lambda a, app: manage_token(a.id)[:-4] + "abcd", 404, "This link does not work"),
        (lambda a, app: path_of(offer_url(a.id, a.starts_at)).rsplit("/", 1)[1], 404,
         "This link does not work"),
        (lambda a, app: "x" * 600, 404, "This link does not work"),
        (lambda a, app: old_manage_token(app, a.id, days=181), 410, "This link has expired"),
    ],
    ids=["another-appointment", "tampered", "offer-token", "too-long", "expired"],
)
def test_wrong_or_old_links_get_a_clear_page_and_change_nothing(app, client, token_for, status,
                                                               words):
    appointment = confirmed_soon()
    token = token_for(appointment, app)
    before = outbox_keys()
    for response in (client.get(f"/booking/{token}"),
                     client.post(f"/booking/{token}/cancel", data={})):
        assert response.status_code == status
        assert words in response.text
    assert fresh(appointment).status == "confirmed"
    assert outbox_keys() == before


def test_the_patient_cancels_and_the_link_cannot_be_replayed(app, client, runner, smtp):
    appointment = confirmed_soon()
    path = manage_path(appointment)
    response = post_on(client, path, f"{path}/cancel", reason="Feeling much better")
    assert response.status_code == 303
    cancelled = fresh(appointment)
    assert (cancelled.status, cancelled.cancelled_by, cancelled.sequence) == (
        "cancelled", "patient", 1
    )

    page = client.get(path)
    assert page.status_code == 200 and "This booking is cancelled" in page.text
    assert "<form" not in page.text.split("<main", 1)[1]
    before = outbox_keys()
    tokens = form_tokens(client.get("/book").text)
    for action in ("cancel", "reschedule"):
        again = client.post(f"{path}/{action}", data=tokens)
        assert again.status_code == 409 and "cancelled" in again.text
    assert outbox_keys() == before

    send_due(runner)
    (to_patient,) = [m for m in smtp.to("ana@example.org") if "cancelled" in m["Subject"]]
    assert ics_of(to_patient)["METHOD"] == "CANCEL"
    (to_clinic,) = smtp.to(CLINIC)[-1:]
    assert "cancelled by the patient" in to_clinic["Subject"]
    assert "Feeling much better" in text_of(to_clinic)


def test_inside_the_minimum_notice_the_patient_is_asked_to_call(app, client):
    appointment = wanting(datetime.now(UTC))
    confirm(appointment, datetime.now(UTC) + timedelta(hours=5))
    path = manage_path(appointment)
    page = client.get(path)
    assert "can no longer be changed online" in page.text and "07710 466880" in page.text
    assert 'action="' + path not in page.text
    tokens = form_tokens(client.get("/book").text)
    response = client.post(f"{path}/cancel", data=tokens)
    assert response.status_code == 409 and "Please call us" in response.text
    assert fresh(appointment).status == "confirmed"


def test_asking_to_reschedule_tells_the_clinic_once(app, client, runner, smtp):
    appointment = confirmed_soon()
    path = manage_path(appointment)
    response = post_on(client, path, f"{path}/reschedule", note="Fridays are easier")
    assert response.status_code == 303
    assert fresh(appointment).reschedule_requested
    assert "We have your request to change" in client.get(path).text
    tokens = form_tokens(client.get("/book").text)
    again = client.post(f"{path}/reschedule", data={**tokens, "note": "again"})
    assert again.status_code == 409
    send_due(runner)
    notices = [m for m in smtp.to(CLINIC) if "change an appointment" in m["Subject"]]
    assert len(notices) == 1 and "Fridays are easier" in text_of(notices[0])


def test_accepting_an_offered_time_confirms_it_once(app, db, client, runner, smtp):
    appointment = ask_for(None, datetime.now(UTC), ["Mornings"])
    offered = [soon_slot(3), soon_slot(6)]
    propose_times(appointment, offered)
    send_due(runner)
    (offer,) = [m for m in smtp.to("ana@example.org") if "Times we can offer" in m["Subject"]]
    second = path_of([line for line in text_of(offer).splitlines() if "/offer/" in line][1])

    page = client.get(second)
    assert page.status_code == 200 and "Yes, book this time" in page.text
    assert fresh(appointment).status == "offered"  # opening the link books nothing
    response = client.post(second, data=form_tokens(page.text))
    assert response.status_code == 303
    confirmed = fresh(appointment)
    assert (confirmed.status, confirmed.starts_at) == ("confirmed", offered[1])
    booked = client.get(response.location).text
    assert "Confirmed" in booked and "You are booked for" in booked

    replay = client.post(second, data=form_tokens(page.text))
    assert replay.status_code == 409 and "no longer on offer" in replay.text
    first = path_of(offer_url(appointment.id, offered[0]))
    assert client.get(first).status_code == 409
    send_due(runner)
    assert [m["Subject"] for m in smtp.to("ana@example.org") if "confirmed" in m["Subject"]]
    assert db.session.query(OutboxMessage).filter(
        OutboxMessage.idempotency_key.like(f"appointment:{appointment.id}:confirmed:%")
    ).count() == 1


def test_an_offered_time_taken_meanwhile_gets_a_clear_message(app, client):
    appointment = ask_for(None, datetime.now(UTC), ["Mornings"])
    slot = soon_slot(3)
    propose_times(appointment, [slot])
    confirm(wanting(datetime.now(UTC), "Ben Ng", "ben@example.org"), slot)
    path = path_of(offer_url(appointment.id, slot))
    page = client.get(path)
    response = client.post(path, data=form_tokens(page.text))
    assert response.status_code == 409 and "just been taken" in response.text
    assert fresh(appointment).status == "offered"


def test_an_offer_link_for_a_time_never_offered_does_not_work(app, client):
    appointment = ask_for(None, datetime.now(UTC), ["Mornings"])
    slot = soon_slot(3)
    propose_times(appointment, [slot])
    token = path_of(offer_url(appointment.id, slot)).rsplit("/", 1)[1]
    assert client.get(f"/booking/offer/{token[:-3]}xyz").status_code == 404
    other = client.get(path_of(offer_url(appointment.id, slot + timedelta(hours=1))))
    assert other.status_code == 409 and "no longer on offer" in other.text
