"""One click stops everything still to come: by the List-Unsubscribe POST and by the link."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.models import Enrolment, OutboxMessage
from app.tokens import make_token

from ..conftest import form_tokens
from ..support.outbox import send_due
from ..support.programme import link_containing, patient_on_programme

ENROLLED = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
# The patient enrols at ENROLLED and the clock stays there, so the welcome email is due at
# the very moment `send-due --now` names.
pytestmark = pytest.mark.time_machine(ENROLLED, tick=False)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def welcome(app, runner, smtp):
    patient_on_programme(ENROLLED)
    send_due(runner, now="2027-03-01T10:00:00Z")
    return smtp.to("alex@example.org")[-1]


def remaining(db) -> list[str]:
    return list(
        db.session.execute(
            select(OutboxMessage.status).where(OutboxMessage.template.like("programme_%"))
        ).scalars()
    )


def test_one_click_post_from_the_header_stops_the_rest(app, db, runner, smtp, welcome):
    url = welcome["List-Unsubscribe"].strip("<>")
    # What a mail client sends (RFC 8058): no cookies, no CSRF token, just this body.
    anonymous = app.test_client(use_cookies=False)
    response = anonymous.post(
        _path(url),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200  # answered in place, not redirected
    assert "no more programme emails" in response.text
    assert sorted(remaining(db)) == ["cancelled"] * 4 + ["sent"]
    assert db.session.execute(select(Enrolment.status)).scalar_one() == "unsubscribed"
    before = len(smtp.messages)
    send_due(runner, now="2028-01-01T00:00:00Z")
    assert len(smtp.messages) == before


def test_link_in_the_body_asks_then_stops(app, db, client, runner, smtp, welcome):
    path = _path(link_containing(welcome, "/unsubscribe/"))
    page = client.get(path)
    assert page.status_code == 200 and "Stop the programme emails?" in page.text
    assert remaining(db).count("pending") == 4  # looking does not unsubscribe
    done = client.post(path, data=form_tokens(page.text))
    assert done.status_code == 200
    assert remaining(db).count("pending") == 0
    again = client.post(path, data={})
    assert again.status_code == 200  # repeating it is harmless
    send_due(runner, now="2028-01-01T00:00:00Z")
    assert [m["Subject"] for m in smtp.messages if "Week" in m["Subject"]] == []


@pytest.mark.parametrize(
    "token_for",
    [
        lambda enrolment_id: make_token("checkin", enrolment_id, week=2),  # another purpose
        lambda enrolment_id: make_token("unsubscribe", enrolment_id + 1000),  # another record
        lambda enrolment_id: make_token("unsubscribe", enrolment_id)[:-3] + "xyz",  # tampered
        lambda enrolment_id: "not-a-token",
    ],
)
def test_wrong_links_change_nothing(app, db, client, welcome, token_for):
    enrolment_id = db.session.execute(select(Enrolment.id)).scalar_one()
    response = client.post(f"/programme/unsubscribe/{token_for(enrolment_id)}", data={})
    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert remaining(db).count("pending") == 4
