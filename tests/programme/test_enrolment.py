"""Who is enrolled, on which parts, and the osteopath's pause, resume and stop."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.clinical.screening import RED_FLAGS
from app.content.service import load_defaults
from app.enquiries.service import EnquirySubmission, submit_enquiry
from app.models import OutboxMessage
from app.programme import service
from app.programme.confirmation import confirm_address
from app.programme.service import ProgrammeError, enrolment_for

from ..support.outbox import send_due
from ..support.programme import patient_on_programme

NOW = datetime(2027, 4, 5, 10, 0, tzinfo=UTC)
# Everything here starts at NOW and the clock stays there, so the emails are due at the very
# moment `send-due --now` names.
pytestmark = pytest.mark.time_machine(NOW, tick=False)


def enquiry(**answers):
    load_defaults()
    values = dict(
        name="Kim Lee", email="kim@example.org", problem="back", location="lower back",
        duration="under_6_weeks", pain_score=4, consent_contact=True, consent_followup=True,
    )
    values.update(answers)
    return submit_enquiry(EnquirySubmission(**values), now=NOW)


def programme_statuses(db) -> list[str]:
    return sorted(
        db.session.execute(
            select(OutboxMessage.status).where(OutboxMessage.template.like("programme_%"))
        ).scalars()
    )


@pytest.mark.parametrize("flag", [flag.code for flag in RED_FLAGS])
def test_a_red_flag_enquiry_is_never_enrolled(app, db, flag):
    red = enquiry(red_flags=[flag])
    assert enrolment_for(red.id) is None
    with pytest.raises(ProgrammeError, match="red-flag"):
        service.enrol(red, now=NOW)
    assert programme_statuses(db) == []


def test_no_programme_without_consent_to_follow_up(app, db):
    quiet = enquiry(consent_followup=False)
    with pytest.raises(ProgrammeError, match="did not agree"):
        service.enrol(quiet, now=NOW)
    assert programme_statuses(db) == []


def test_the_parts_and_the_reason_come_from_the_answers(app):
    both = enquiry(triggers=["long_sitting", "getting_out_of_car"])
    enrolment = confirm_address(both, now=NOW)
    assert enrolment.parts == ["part-1-tight-hip-flexors", "part-2-hip-strength"]
    assert enrolment.part_reasons == [
        "Part 1: Tight hip flexors: sitting for a long time",
        "Part 2: Hip strength and walking: getting in or out of a car",
    ]


def test_the_osteopaths_choice_of_part_is_what_the_email_sends(app, runner, smtp):
    enrolment = patient_on_programme(NOW, triggers=["walking"])
    service.choose_parts_by_hand(enrolment, ["part-1-tight-hip-flexors"], "osteopath")
    send_due(runner, now="2027-04-05T10:00:00Z")
    text = smtp.to("alex@example.org")[-1].get_body(("plain",)).get_content()
    assert "PART 1: TIGHT HIP FLEXORS" in text and "PART 2" not in text


def test_pause_then_resume_brings_the_emails_back(app, db, runner, smtp):
    enrolment = patient_on_programme(NOW)
    send_due(runner, now="2027-04-05T10:00:00Z")
    service.change_status(enrolment, "paused", "on holiday", now=NOW)
    assert programme_statuses(db) == ["cancelled"] * 4 + ["sent"]
    # Resumed after week 2's time has passed: week 2 goes out now, the rest when due.
    later = datetime(2027, 4, 25, 12, 0, tzinfo=UTC)
    service.change_status(enrolment, "active", "back from holiday", now=later)
    assert programme_statuses(db) == ["pending"] * 4 + ["sent"]
    assert "sent 1" in send_due(runner, now="2027-04-25T12:00:00Z")


def test_stopped_cannot_be_resumed_and_unsubscribed_cannot_be_changed(app, db):
    enrolment = patient_on_programme(NOW)
    service.change_status(enrolment, "stopped", "osteopath's decision", now=NOW)
    with pytest.raises(ProgrammeError, match="paused"):
        service.change_status(enrolment, "active", "try again", now=NOW)
    with pytest.raises(ProgrammeError, match="running"):
        service.change_status(enrolment, "paused", "a way round the stop", now=NOW)
    service.unsubscribe(enrolment, now=NOW)
    with pytest.raises(ProgrammeError, match="unsubscribed"):
        service.change_status(enrolment, "paused", "x", now=NOW)
    assert "pending" not in programme_statuses(db)


@pytest.mark.parametrize("flag", ["bladder_bowel", "night_pain"])
def test_a_later_red_flag_enquiry_pauses_the_running_programme(app, db, runner, smtp, flag):
    enrolment = patient_on_programme(NOW)
    send_due(runner, now="2027-04-05T10:00:00Z")
    later = datetime(2027, 4, 10, 8, 0, tzinfo=UTC)
    submit_enquiry(
        EnquirySubmission(
            name="Alex Morgan", email="ALEX@example.org", problem="back", location="back",
            duration="under_6_weeks", pain_score=7, consent_contact=True, red_flags=[flag],
        ),
        now=later,
    )
    db.session.refresh(enrolment)
    assert enrolment.status == "paused"
    assert "red-flag" in enrolment.status_reason
    before = len(smtp.messages)
    send_due(runner, now="2027-06-01T09:00:00Z")
    sent = [m for m in smtp.messages[before:] if "alex@example.org" in str(m["To"]).lower()]
    # Only the new enquiry's acknowledgement goes out, with its urgent advice; no programme.
    assert [m["Subject"].split(" |")[0] for m in sent] == [
        "We have your enquiry - please read our urgent advice"
    ]
