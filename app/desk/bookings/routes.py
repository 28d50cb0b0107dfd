"""Bookings on the desk: a request or appointment and its answers, search, and the week.

Thin views: a form, one call to app.bookings.service, then a redirect with a flash. A
BookingError is shown on the form that caused it, with what was chosen kept.
"""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for

from app.audit import record
from app.bookings import service
from app.bookings.errors import BookingError, NotAllowedNow
from app.models.booking import OFFERED, REQUESTED
from app.timeutil import format_clinic_time, utcnow

from . import bp
from . import service as desk
from .forms import (
    AttendanceForm,
    BookingSearchForm,
    ConfirmForm,
    ProposeForm,
    ReasonForm,
    RescheduleForm,
)

# The dashboard and the enquiry page (app.desk.enquiries) ask for these only when they render.
bp.add_app_template_global(desk.dashboard_bookings, "desk_bookings")
bp.add_app_template_global(desk.enquiry_appointments, "enquiry_appointments")
bp.add_app_template_global(desk.STATUS_LABELS, "booking_status_labels")
bp.add_app_template_global(service.ATTENDANCE_WORDS, "attendance_words")

WHEN = "%H:%M, %A %-d %B %Y"


def _appointment_or_404(appointment_id: int):
    appointment = service.get_appointment(appointment_id)
    if appointment is None:
        abort(404)
    return appointment


def _page(appointment, status: int = 200, **forms):
    choices = desk.slot_choices() if not appointment.is_finished else {}
    has_time = appointment.starts_at is not None and appointment.status == REQUESTED
    shown = {
        "confirm_form": ConfirmForm(formdata=None),
        "decline_form": ReasonForm(formdata=None),
        "propose_form": ProposeForm(formdata=None),
        "reschedule_form": RescheduleForm(formdata=None),
        "cancel_form": ReasonForm(formdata=None),
        "attendance_form": AttendanceForm(formdata=None, attendance=appointment.attendance),
        **forms,
    }
    shown["confirm_form"].set_slots(choices, has_time)
    shown["propose_form"].set_slots(choices)
    shown["reschedule_form"].set_slots(choices)
    return render_template(
        "desk/bookings/appointment.html", appointment=appointment, has_time=has_time,
        offered=[desk.local_moment(s) for s in appointment.offered_starts],
        started=appointment.starts_at is not None and appointment.starts_at <= utcnow(),
        **shown,
    ), status


def _done(appointment, message: str):
    flash(message, "success")
    return redirect(url_for(".appointment", appointment_id=appointment.id), code=303)


def _act(appointment, form_name: str, form, action, message, detail=lambda: ""):
    """Validate `form`, run `action()`; on a refusal show the page again with the reason."""
    if not form.validate_on_submit():
        return _page(appointment, 400, **{form_name: form})
    try:
        action()
    except NotAllowedNow as error:
        # Usually a second press of the same button after the first one worked.
        flash(str(error), "info")
        return redirect(url_for(".appointment", appointment_id=appointment.id), code=303)
    except BookingError as error:
        form.form_errors.append(str(error))
        return _page(appointment, 409, **{form_name: form})
    record("change", "appointment", appointment.id,
           " ".join(filter(None, (form_name.removesuffix("_form"), detail()))))
    return _done(appointment, message())


@bp.get("/bookings/<int:appointment_id>")
def appointment(appointment_id: int):
    appt = _appointment_or_404(appointment_id)
    record("view", "appointment", appt.id)
    return _page(appt)


@bp.post("/bookings/<int:appointment_id>/confirm")
def confirm(appointment_id: int):
    appt = _appointment_or_404(appointment_id)
    form = ConfirmForm()
    # A second press after the first confirmed it should meet "already done", not "choose".
    form.slot.required = appt.status == OFFERED or (appt.is_open and appt.starts_at is None)

    def action():
        start = form.slot.start
        if start is not None:
            desk.make_sure_free(appt, start)
        service.confirm(appt, start)

    return _act(appt, "confirm_form", form, action, lambda: (
        f"Confirmed for {format_clinic_time(appt.starts_at, WHEN)}. "
        f"{appt.patient_name} is being emailed the details and a calendar invitation."))


@bp.post("/bookings/<int:appointment_id>/decline")
def decline(appointment_id: int):
    appt = _appointment_or_404(appointment_id)
    form = ReasonForm()
    return _act(appt, "decline_form", form, lambda: service.decline(appt, form.reason.data),
                lambda: f"Declined. {appt.patient_name} is being emailed your reason.")


@bp.post("/bookings/<int:appointment_id>/propose")
def propose(appointment_id: int):
    appt = _appointment_or_404(appointment_id)
    form = ProposeForm()

    def action():
        for start in form.starts:
            desk.make_sure_free(appt, start)
        service.propose_times(appt, form.starts)

    return _act(appt, "propose_form", form, action, lambda: (
        f"{appt.patient_name} is being emailed {len(appt.offered_starts)} time(s) to choose "
        "from. The time they pick is booked by itself, and the clinic is emailed."))


@bp.post("/bookings/<int:appointment_id>/reschedule")
def reschedule(appointment_id: int):
    appt = _appointment_or_404(appointment_id)
    form = RescheduleForm()

    def action():
        if appt.starts_at is not None and form.slot.start == appt.starts_at:
            raise NotAllowedNow("The appointment is already at that time; nothing was changed.")
        desk.make_sure_free(appt, form.slot.start)
        service.reschedule(appt, form.slot.start)

    return _act(appt, "reschedule_form", form, action, lambda: (
        f"Moved to {format_clinic_time(appt.starts_at, WHEN)}. {appt.patient_name} is being "
        "emailed the new time and an updated calendar invitation."))


@bp.post("/bookings/<int:appointment_id>/cancel")
def cancel(appointment_id: int):
    appt = _appointment_or_404(appointment_id)
    form = ReasonForm()
    return _act(appt, "cancel_form", form,
                lambda: service.cancel(appt, form.reason.data, by_patient=False),
                lambda: f"Cancelled. {appt.patient_name} is being emailed your reason.")


@bp.post("/bookings/<int:appointment_id>/attendance")
def attendance(appointment_id: int):
    appt = _appointment_or_404(appointment_id)
    form = AttendanceForm()
    return _act(appt, "attendance_form", form,
                lambda: service.mark_attendance(appt, form.attendance.data),
                lambda: f"Marked as {service.ATTENDANCE_WORDS[appt.attendance]}.",
                detail=lambda: appt.attendance)


@bp.get("/bookings")
def search():
    form = BookingSearchForm(request.args)
    if not form.validate():
        return render_template("desk/bookings/search.html", form=form, results=None), 400
    results = desk.find_appointments(form.q.data or "", form.page.data or 1)
    return render_template(
        "desk/bookings/search.html", form=form, results=results
    ), 404 if results.past_the_end else 200


@bp.get("/diary")
def diary():
    asked = request.args.get("week", "")
    try:
        day = date.fromisoformat(asked) if asked else desk.local_day(utcnow())
    except ValueError:
        abort(400, "Give the week as a date like 2027-10-25.")
    if not date(2000, 1, 1) <= day <= date(2200, 1, 1):
        abort(400, "That week is too far away.")
    monday = desk.monday_of(day)
    return render_template(
        "desk/bookings/diary.html", monday=monday, days=desk.diary_week(monday),
        today=desk.local_day(utcnow()), previous=desk.shift_weeks(monday, -1),
        next=desk.shift_weeks(monday, 1),
    )
