"""The diary's settings on the desk: the booking rules, the weekly hours and closures.

Three forms on one page; a form sent back with a mistake shows the page again with that
form as typed and the other two as saved, and nothing is changed.
"""

from flask import abort, flash, redirect, render_template, url_for

from app.bookings import service
from app.bookings.diary import SETTING_NAMES
from app.bookings.errors import BookingError
from app.timeutil import format_clinic_time

from . import bp
from . import service as desk
from .forms import ActionForm, ClosureForm, HoursForm, SettingsForm

WHEN = "%H:%M, %A %-d %B %Y"


def _page(status: int = 200, **forms):
    settings = service.booking_settings()
    shown = {
        "settings_form": SettingsForm(formdata=None, obj=settings),
        "hours_form": HoursForm(formdata=None).fill(service.opening_hours()),
        "closure_form": ClosureForm(formdata=None),
        **forms,
    }
    return render_template(
        "desk/bookings/settings.html", closures=desk.closures_with_appointments(),
        remove_form=ActionForm(formdata=None), calendar=desk.calendar_address(), **shown,
    ), status


def _saved(message: str, anchor: str):
    flash(message, "success")
    return redirect(url_for(".settings", _anchor=anchor), code=303)


@bp.get("/settings/diary")
def settings():
    return _page()


@bp.post("/settings/diary")
def save_settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        return _page(400, settings_form=form)
    try:
        service.update_settings(**{name: getattr(form, name).data for name in SETTING_NAMES})
    except (BookingError, ValueError) as error:
        form.form_errors.append(str(error))
        return _page(400, settings_form=form)
    return _saved("Booking settings saved. They apply to times offered from now on.",
                  "rules")


@bp.post("/settings/diary/hours")
def save_hours():
    form = HoursForm()
    if not form.validate_on_submit():
        return _page(400, hours_form=form)
    try:
        service.set_opening_hours(form.periods)
    except BookingError as error:
        form.form_errors.append(str(error))
        return _page(400, hours_form=form)
    return _saved("Opening hours saved. Appointments already confirmed stay where they are.",
                  "hours")


@bp.post("/settings/diary/closures")
def add_closure():
    form = ClosureForm()
    if not form.validate_on_submit():
        return _page(400, closure_form=form)
    starts, ends = form.starts_at, form.ends_at
    try:
        affected = service.add_closure(starts, ends, form.reason.data or "")
    except BookingError as error:
        form.form_errors.append(str(error))
        return _page(400, closure_form=form)
    message = (f"Closed from {format_clinic_time(starts, WHEN)} "
               f"until {format_clinic_time(ends, WHEN)}.")
    if affected:
        names = "; ".join(f"{a.patient_name} at {format_clinic_time(a.starts_at, WHEN)}"
                          for a in affected)
        message += (f" {len(affected)} confirmed appointment(s) fall inside it and were not "
                    f"changed: {names}. Move or cancel each from the list below.")
        flash(message, "info")
        return redirect(url_for(".settings", _anchor="closures"), code=303)
    return _saved(message, "closures")


@bp.post("/settings/diary/closures/<int:closure_id>/remove")
def remove_closure(closure_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not service.remove_closure(closure_id):
        # Most likely a second press after the first removed it.
        flash("That closure is not in the diary (it may already have been removed).", "info")
        return redirect(url_for(".settings", _anchor="closures"), code=303)
    return _saved("Closure removed: those times can be booked again.", "closures")
