"""Attendance: marked from the appointment's desk page once it has started, open to correction,
shown on the page and in the bookings list, and audited."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bookings.service import cancel, confirm, mark_attendance
from app.models.privacy import AuditEntry
from app.timeutil import utcnow

from ...bookings.helpers import fresh, wanting
from ...support.clock import AN_ORDINARY_MORNING
from ...support.desk import post_form

pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)


def booked():
    """Confirmed by phone for 20 minutes from now, so that the desk's session (30 minutes
    idle) is still open when the clock moves past the start."""
    return confirm(wanting(utcnow()), utcnow() + timedelta(minutes=20))


def mark(desk, appointment, value: str | None):
    path = f"/admin/bookings/{appointment.id}"
    fields = {} if value is None else {"attendance": value}
    return post_form(desk, path, f"{path}/attendance", **fields)


def after_start(time_machine, appointment):
    time_machine.move_to(appointment.starts_at + timedelta(minutes=5))


def audit(db, appointment) -> list[str]:
    return list(db.session.execute(
        select(AuditEntry.detail).where(AuditEntry.subject_type == "appointment",
                                        AuditEntry.subject_id == appointment.id,
                                        AuditEntry.action == "change")
    ).scalars())


def test_before_the_start_it_cannot_be_marked(desk, db):
    appointment = booked()
    page = desk.get(f"/admin/bookings/{appointment.id}").text
    assert "once the appointment has started" in page and "Save attendance" not in page
    response = mark(desk, appointment, "attended")
    assert response.status_code == 409
    assert "This appointment has not started yet" in response.text
    assert fresh(appointment).attendance is None and audit(db, appointment) == []


def test_after_the_start_it_is_marked_shown_and_can_be_corrected(desk, db, time_machine):
    appointment = booked()
    after_start(time_machine, appointment)
    response = mark(desk, appointment, "attended")
    assert response.status_code == 303
    marked = fresh(appointment)
    assert marked.attendance == "attended" and marked.attendance_marked_at is not None
    page = desk.get(response.headers["Location"]).text
    assert "Marked as attended." in page and "<strong>Attended</strong>" in page
    assert "Confirmed, attended" in desk.get("/admin/bookings").text

    corrected = mark(desk, appointment, "did_not_attend")
    assert corrected.status_code == 303 and fresh(appointment).attendance == "did_not_attend"
    assert "Confirmed, did not attend" in desk.get("/admin/bookings").text
    assert audit(db, appointment) == ["attendance attended", "attendance did_not_attend"]


def test_the_same_mark_twice_changes_nothing(desk, db, time_machine):
    appointment = booked()
    after_start(time_machine, appointment)
    mark(desk, appointment, "attended")
    first_marked = fresh(appointment).attendance_marked_at
    time_machine.shift(timedelta(minutes=10))
    again = mark(desk, appointment, "attended")
    assert again.status_code == 303
    assert "Already marked as attended; nothing was changed." in desk.get(
        again.headers["Location"]).text
    assert fresh(appointment).attendance_marked_at == first_marked


@pytest.mark.parametrize("value", [None, "", "maybe", "ATTENDED", "x" * 5000])
def test_a_bad_answer_is_refused_and_nothing_changes(desk, db, time_machine, value):
    appointment = booked()
    after_start(time_machine, appointment)
    response = mark(desk, appointment, value)
    assert response.status_code == 400
    assert fresh(appointment).attendance is None


def test_a_cancelled_appointment_or_a_request_cannot_be_marked(desk, db, time_machine):
    cancelled = booked()
    waiting = wanting(utcnow(), name="Bo Smith", email="bo@example.org")
    after_start(time_machine, cancelled)
    cancel(cancelled, "Unwell", by_patient=False)
    for appointment in (cancelled, waiting):
        response = mark(desk, appointment, "attended")
        assert response.status_code == 303
        assert "so that cannot be done now" in desk.get(response.headers["Location"]).text
        assert fresh(appointment).attendance is None


def test_an_unknown_appointment_is_404(desk, db):
    response = post_form(desk, "/admin/bookings", "/admin/bookings/999999/attendance",
                         attendance="attended")
    assert response.status_code == 404


def test_the_service_refuses_a_mark_it_does_not_know(db, time_machine):
    appointment = booked()
    after_start(time_machine, appointment)
    with pytest.raises(Exception, match="Choose whether"):
        mark_attendance(appointment, "late")


def test_the_patients_export_holds_their_attendance(desk, db, time_machine):
    appointment = booked()
    after_start(time_machine, appointment)
    mark(desk, appointment, "did_not_attend")
    exported = post_form(desk, "/admin/privacy/", "/admin/privacy/export.json",
                         email=appointment.email)
    (row,) = json.loads(exported.text)["appointments"]
    assert row["attendance"] == "did_not_attend" and row["attendance_marked_at"]


def test_the_attendance_forms_pass_the_w3c_checker(desk, db, time_machine, tmp_path):
    # The browser journeys keep the real clock, so they never reach an appointment that has
    # started: the pages with the attendance form are checked here, as the server sends them.
    from ...browser.w3c import CheckedPage, check

    appointment = booked()
    path = f"/admin/bookings/{appointment.id}"
    pages = [CheckedPage("before the start", path, desk.get(path).text, [])]
    after_start(time_machine, appointment)
    pages.append(CheckedPage("after the start", path, desk.get(path).text, []))
    pages.append(CheckedPage("a refused mark", path, mark(desk, appointment, "maybe").text, []))
    errors, _ = check(pages, tmp_path / "w3c")
    assert errors == []
