"""The programme on the desk: who needs a look, a patient's timeline and chart, and the
osteopath's enrol, pause, resume, stop and choice of parts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import delete, select

from app.content.service import load_defaults
from app.enquiries.service import submit_enquiry
from app.extensions import db
from app.models import Enquiry, Enrolment, OutboxMessage
from app.programme.advice import CheckinAnswers
from app.programme.service import enrolment_for, record_checkin
from app.timeutil import utcnow

from ...support.clock import AN_ORDINARY_MORNING
from ...support.desk import add_enquiry, post_form, sign_in
from ...support.outbox import submission
from ...support.programme import patient_on_programme

# The desk's programme pages read the clock: who is due this week, what is still waiting.
pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)


def checkin(enrolment, week: int, pain: int, sessions: int = 3):
    return record_checkin(
        enrolment,
        CheckinAnswers(
            week=week, sessions_per_week=sessions, sets=3, repetitions=9, effort="about_right",
            knees_very_wide=False, weaker_side="neither", pain_score=pain,
        ),
        band="", notes="",
    )


def test_the_list_flags_who_is_getting_worse_and_who_has_not_answered(desk, app):
    now = utcnow()
    worse = patient_on_programme(now - timedelta(days=15), name="Wendy Worse", email="w@x.org")
    checkin(worse, 2, pain=worse.pain_at_enrolment + 2)
    quiet = patient_on_programme(now - timedelta(days=16), name="Quentin Quiet", email="q@x.org")
    db.session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.enquiry_id == quiet.enquiry_id)
        .where(OutboxMessage.template == "programme_checkin")
        .where(OutboxMessage.idempotency_key.like("%week-2"))
        .values(status="sent", sent_at=now - timedelta(days=2))
    )
    db.session.commit()
    fine = patient_on_programme(now - timedelta(days=3), name="Fiona Fine", email="f@x.org")

    page = desk.get("/admin/programme").text
    assert page.index("Fiona Fine") < page.index("Wendy Worse")  # newest enrolment first
    wendy_row = page.split("Wendy Worse")[1].split("</tr>")[0]
    assert "Getting worse" in wendy_row
    quentin_row = page.split("Quentin Quiet")[1].split("</tr>")[0]
    assert "Not answered" in quentin_row and "Getting worse" not in quentin_row

    assert "Wendy Worse" in desk.get("/admin/programme?show=worse").text
    assert "Fiona Fine" not in desk.get("/admin/programme?show=worse").text
    unanswered = desk.get("/admin/programme?show=unanswered").text
    assert "Quentin Quiet" in unanswered and "Fiona Fine" not in unanswered
    # Fiona's week-2 check-in is due in 11 days, not this week; Wendy's is paused.
    assert "Fiona Fine" not in desk.get("/admin/programme?show=due").text
    assert fine.status == "active"


@pytest.mark.parametrize("query", ["show=everything", "page=0", "page=-3", "page=9999999"])
def test_a_bad_list_address_is_a_clear_400(desk, query):
    response = desk.get(f"/admin/programme?{query}")
    assert response.status_code == 400
    assert "We could not accept that" in response.text


def test_a_page_that_is_not_a_number_shows_the_first(desk):
    response = desk.get("/admin/programme?page=two")
    assert response.status_code == 200
    assert "Nobody here at the moment." in response.text


def test_the_patient_page_shows_the_timeline_and_the_chart(desk, app):
    enrolment = patient_on_programme(datetime(2027, 1, 4, 10, 0, tzinfo=UTC), pain_score=6)
    checkin(enrolment, 2, pain=5, sessions=3)
    checkin(enrolment, 4, pain=3, sessions=4)
    page = desk.get(f"/admin/patients/{enrolment.enquiry_id}")
    assert page.status_code == 200
    text = page.text
    assert "Enquiry received" in text and "Enrolled" in text
    assert "Week 2 check-in answered: pain 5/10, 3 days a week" in text
    assert "Your six-week hip strength programme" in text  # the welcome email, waiting
    svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "start: pain 6; week 2: pain 5, 3 days a week; week 4: pain 3, 4 days a week" in svg
    assert svg.count("<circle") == 3 and svg.count("<rect") == 2
    assert "<script" not in text


def test_pause_resume_and_stop_from_the_desk(desk, app):
    enrolment = patient_on_programme(utcnow())
    path = f"/admin/patients/{enrolment.enquiry_id}"
    action = f"{path}/status"
    assert post_form(desk, path, action, status="paused", reason="holiday").status_code == 303
    assert enrolment_for(enrolment.enquiry_id).status == "paused"
    post_form(desk, path, action, status="active", reason="")
    assert enrolment_for(enrolment.enquiry_id).status == "active"
    post_form(desk, path, action, status="stopped", reason="sees a physio instead")
    db.session.expire_all()
    assert enrolment_for(enrolment.enquiry_id).status == "stopped"
    refused = desk.post(action, data={"status": "active"}, follow_redirects=True)
    assert refused.status_code == 400  # no CSRF token
    assert enrolment_for(enrolment.enquiry_id).status == "stopped"


def test_the_osteopath_can_change_the_parts(desk, app):
    enrolment = patient_on_programme(utcnow(), triggers=["walking"])
    path = f"/admin/patients/{enrolment.enquiry_id}"
    response = post_form(desk, path, f"{path}/parts", parts=["part-1-tight-hip-flexors"])
    assert response.status_code == 303
    db.session.expire_all()
    assert enrolment_for(enrolment.enquiry_id).parts == ["part-1-tight-hip-flexors"]
    bad = post_form(desk, path, f"{path}/parts", parts=["part-9"])
    assert bad.status_code == 400


def test_a_red_flag_enquiry_offers_no_enrolment(desk, app):
    enquiry = add_enquiry(red_flags=["both_legs"])
    page = desk.get(f"/admin/patients/{enquiry.id}").text
    assert "red-flag symptom" in page and "Enrol on the six-week programme" not in page
    forced = desk.post(f"/admin/patients/{enquiry.id}/enrol", data={}, follow_redirects=True)
    assert forced.status_code == 400
    assert enrolment_for(enquiry.id) is None


def test_an_enquiry_from_before_the_programme_can_be_enrolled_by_hand(desk, app):
    enrolment = patient_on_programme(utcnow())
    enquiry_id = enrolment.enquiry_id
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.template.like("programme_%")))
    db.session.execute(delete(Enrolment))
    db.session.commit()
    path = f"/admin/patients/{enquiry_id}"
    assert "Enrol on the six-week programme" in desk.get(path).text
    post_form(desk, path, f"{path}/enrol")
    assert enrolment_for(enquiry_id) is not None
    rows = db.session.execute(
        select(OutboxMessage.template).where(OutboxMessage.enquiry_id == enquiry_id)
    ).scalars().all()
    assert rows.count("programme_checkin") == 3


def test_an_unconfirmed_address_is_enrolled_only_once_checked_with_the_patient(
    client, staff, app
):
    """The patient has not pressed the link in their acknowledgement; the osteopath, who has
    been in touch with them, may enrol them by saying they checked the address."""
    load_defaults()
    moment = datetime(2027, 4, 5, 10, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        desk = client
        assert sign_in(desk).status_code == 303
        enquiry = submit_enquiry(submission(consent_followup=True))
        path = f"/admin/patients/{enquiry.id}"
        page = desk.get(path).text
        assert "The patient has not confirmed sam@example.org" in page
        assert "I have checked this email address with the patient" in page
        assert "Not yet: anyone can type an address" in desk.get(
            f"/admin/enquiries/{enquiry.id}").text

        refused = post_form(desk, path, f"{path}/enrol")
        assert refused.status_code == 303
        assert "Enrol them only once you have checked the address" in desk.get(path).text
        assert enrolment_for(enquiry.id) is None

        post_form(desk, path, f"{path}/enrol", address_checked="y")
        assert enrolment_for(enquiry.id).enrolled_at == moment
        db.session.expire_all()
        assert db.session.get(Enquiry, enquiry.id).email_confirmed_at == moment
        assert "Yes, 5 April 2027, 11:00" in desk.get(f"/admin/enquiries/{enquiry.id}").text


def test_unknown_patients_are_a_404(desk):
    assert desk.get("/admin/patients/99999").status_code == 404
