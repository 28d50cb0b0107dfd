"""One patient through the whole six weeks, by the outbox's clock and a real SMTP server."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.models import CheckIn, OutboxMessage

from ..support.outbox import send_due
from ..support.programme import answer_checkin, link_containing, patient_on_programme

LONDON = ZoneInfo("Europe/London")
# Enrolled on a Sunday in British Summer Time; the clocks go back on 31 October 2027, between
# the week-2 and week-4 check-ins.
ENROLLED = datetime(2027, 10, 10, 10, 0, tzinfo=UTC)
# The patient enrols at ENROLLED and the clock stays there, so the welcome email is due at
# the very moment `send-due --now` names.
pytestmark = pytest.mark.time_machine(ENROLLED, tick=False)


def sent_since(smtp, count_before: int):
    return smtp.messages[count_before:]


def test_a_patient_walks_through_the_whole_programme(app, db, client, runner, smtp):
    enrolment = patient_on_programme(ENROLLED, triggers=["walking_uphill"])

    assert "sent 3" in send_due(runner, now="2027-10-10T10:00:00Z")
    welcome = smtp.to("alex@example.org")[-1]
    assert welcome["Subject"].startswith("Your six-week hip strength programme")
    text = welcome.get_body(("plain",)).get_content()
    assert "PART 2: HIP STRENGTH AND WALKING" in text
    assert "3 sets of 8 to 10 repetitions, 3 or 4 times a week, for 6 weeks." in text
    assert "firmer band" in text
    assert welcome["List-Unsubscribe"].startswith("<http")
    assert welcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Week 2 falls at 09:00 London summer time, which is 08:00 UTC.
    assert "sent 0" in send_due(runner, now="2027-10-24T07:59:00Z")
    before = len(smtp.messages)
    assert "sent 1" in send_due(runner, now="2027-10-24T08:00:00Z")
    (week_2,) = sent_since(smtp, before)
    assert week_2["Subject"].startswith("Week 2:")
    done = answer_checkin(
        client, link_containing(week_2, "/checkin/"), repetitions="10", effort="easy"
    )
    assert done.status_code == 200
    assert "Time for a firmer band" in done.text and "Add a fourth set" in done.text

    # After the clocks go back, 09:00 London is 09:00 UTC: nothing at 08:00 UTC.
    assert "sent 0" in send_due(runner, now="2027-11-07T08:00:00Z")
    before = len(smtp.messages)
    assert "sent 1" in send_due(runner, now="2027-11-07T09:00:00Z")
    (week_4,) = sent_since(smtp, before)
    assert week_4["Subject"].startswith("Week 4:")
    # Week 4 goes unanswered; week 6 still comes.

    before = len(smtp.messages)
    assert "sent 1" in send_due(runner, now="2027-11-21T09:00:00Z")
    (week_6,) = sent_since(smtp, before)
    done = answer_checkin(client, link_containing(week_6, "/checkin/"), weaker_side="left")
    assert "Give your weaker side extra attention" in done.text

    before = len(smtp.messages)
    assert "sent 1" in send_due(runner, now="2027-11-23T09:00:00Z")
    (closing,) = sent_since(smtp, before)
    assert closing["Subject"].startswith("Six weeks done")
    assert "review appointment" in closing.get_body(("plain",)).get_content()

    assert "sent 0" in send_due(runner, now="2028-06-01T00:00:00Z")
    ids = [message["Message-ID"] for message in smtp.messages]
    assert len(ids) == len(set(ids)) == 7  # acknowledgement, notification, 5 programme emails

    checkins = db.session.execute(select(CheckIn).order_by(CheckIn.week)).scalars().all()
    assert [(c.week, c.advice) for c in checkins] == [
        (2, ["heavier_band", "fourth_set"]),
        (6, ["weaker_side"]),
    ]
    due_local = [
        row.due_at.astimezone(LONDON).strftime("%H:%M")
        for row in db.session.execute(
            select(OutboxMessage).where(OutboxMessage.template == "programme_checkin")
        ).scalars()
    ]
    assert due_local == ["09:00", "09:00", "09:00"]
    assert enrolment.status == "active"
