"""Anyone can type any address into /enquire, so the programme starts only when the person
presses the link in their acknowledgement: looking at the link changes nothing, the button
records when the address was confirmed and starts the programme if the enquiry still may."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.content.service import load_defaults
from app.models import Enquiry, Enrolment, OutboxMessage
from app.programme.emails import confirm_address_url
from app.programme.service import enrolment_for
from app.tokens import make_token

from ..conftest import form_tokens
from ..enquiries.pages import main_of, words
from ..support.enquiries import post_enquiry
from ..support.outbox import send_due
from ..support.programme import link_containing

NOW = datetime(2027, 4, 5, 10, 0, tzinfo=UTC)
CONFIRM = "/programme/confirm/"
BUTTON = "Confirm and start my exercises"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def enquiry_row(db, email: str = "sam@example.org") -> Enquiry:
    db.session.expire_all()
    return db.session.execute(
        select(Enquiry).where(Enquiry.email == email).order_by(Enquiry.id.desc()).limit(1)
    ).scalar_one()


def outbox_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def acknowledgement(smtp, address: str = "sam@example.org"):
    (message,) = [m for m in smtp.to(address) if "We have your enquiry" in m["Subject"]]
    return message


def test_the_programme_starts_only_when_the_patient_presses_the_link(
    app, db, client, runner, smtp, clock
):
    load_defaults()
    post_enquiry(client, triggers=["walking_uphill"])
    enquiry = enquiry_row(db)
    assert enrolment_for(enquiry.id) is None and enquiry.email_confirmed_at is None
    assert "sent 2" in send_due(runner)  # the acknowledgement and the osteopath's notice
    ack = acknowledgement(smtp)
    text = ack.get_body(("plain",)).get_content()
    assert "confirm that this email address is yours" in text
    path = path_of(link_containing(ack, CONFIRM))
    assert path_of(link_containing(ack, CONFIRM)) in ack.get_body(("html",)).get_content()

    # A mail scanner opens the link, with no cookies: it sees a button, and nothing changes.
    scanner = app.test_client(use_cookies=False)
    page = scanner.get(path)
    assert page.status_code == 200 and BUTTON in page.text
    assert scanner.post(path).status_code == 400  # no CSRF token, no session
    assert enquiry_row(db).email_confirmed_at is None and enrolment_for(enquiry.id) is None

    # The patient presses the button twenty minutes later.
    clock.shift(timedelta(minutes=20))
    page = client.get(path)
    pressed = client.post(path, data=form_tokens(page.text))
    assert pressed.status_code == 303 and pressed.location.endswith(path)
    confirmed = words(main_of(client.get(path).text).text)
    assert "your email address is confirmed" in confirmed
    assert "your six-week home exercise programme has started" in confirmed
    pressed_at = NOW + timedelta(minutes=20)
    assert enquiry_row(db).email_confirmed_at == pressed_at
    enrolment = enrolment_for(enquiry.id)
    assert enrolment.enrolled_at == pressed_at and enrolment.parts == ["part-2-hip-strength"]
    assert "sent 1" in send_due(runner)
    assert [m["Subject"] for m in smtp.to("sam@example.org")][-1].startswith(
        "Your six-week hip strength programme"
    )

    # A second click of the link, or of the button, shows the same page and changes nothing.
    emails = outbox_count(db)
    clock.shift(timedelta(hours=1))
    again = client.post(path, data=form_tokens(page.text))
    assert again.status_code == 200
    assert words(main_of(again.text).text) == confirmed
    assert words(main_of(client.get(path).text).text) == confirmed
    assert enquiry_row(db).email_confirmed_at == pressed_at
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1
    assert outbox_count(db) == emails


@pytest.mark.parametrize("answers", [{"consent_followup": None}, {"red_flags": ["fever"]},
                                     {"red_flags": ["both_legs"]}],
                         ids=["no-consent", "urgent", "emergency"])
def test_no_link_is_sent_where_no_programme_may_start(client, runner, smtp, answers):
    post_enquiry(client, **answers)
    send_due(runner)
    assert CONFIRM not in acknowledgement(smtp).get_body(("plain",)).get_content()


def test_a_red_flag_enquiry_is_never_enrolled_even_by_a_link(app, db, client, clock):
    """No link is sent for it; one made anyway confirms the address and starts nothing."""
    post_enquiry(client, red_flags=["bladder_bowel"])
    enquiry = enquiry_row(db)
    path = path_of(confirm_address_url(enquiry.id))
    page = client.get(path)
    client.post(path, data=form_tokens(page.text))
    assert enquiry_row(db).email_confirmed_at == NOW
    assert enrolment_for(enquiry.id) is None
    assert "need medical advice first" in words(main_of(client.get(path).text).text)
    templates = db.session.execute(select(OutboxMessage.template)).scalars().all()
    assert not [t for t in templates if t.startswith("programme_")]


def test_a_later_red_flag_from_the_address_holds_the_programme_back(app, db, client, runner,
                                                                    smtp, clock):
    load_defaults()
    post_enquiry(client)
    send_due(runner)
    path = path_of(link_containing(acknowledgement(smtp), CONFIRM))
    first = enquiry_row(db)
    clock.shift(timedelta(days=1))
    post_enquiry(client, email="SAM@example.org", red_flags=["night_pain"],
                 consent_followup=None)

    page = client.get(path)
    client.post(path, data=form_tokens(page.text))
    assert enrolment_for(first.id) is None
    assert enquiry_row(db).email_confirmed_at == NOW + timedelta(days=1)
    assert "until the osteopath has been in touch" in words(main_of(client.get(path).text).text)


@pytest.mark.parametrize("made_for", ["unsubscribe", "checkin", "book-from-enquiry"])
def test_a_link_made_for_anything_else_confirms_nothing(app, db, client, made_for):
    post_enquiry(client)
    enquiry = enquiry_row(db)
    response = client.get(f"{CONFIRM}{make_token(made_for, enquiry.id)}")
    assert response.status_code == 404
    assert enquiry_row(db).email_confirmed_at is None


def test_an_old_link_is_refused_plainly(app, db, client, clock):
    post_enquiry(client)
    path = path_of(confirm_address_url(enquiry_row(db).id))
    clock.shift(timedelta(days=31))
    response = client.get(path)
    assert response.status_code == 410
    assert enquiry_row(db).email_confirmed_at is None
