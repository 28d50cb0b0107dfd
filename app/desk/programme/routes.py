"""The programme on the desk: the list of patients on it and each patient's page."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.audit import record
from app.content.service import all_parts
from app.extensions import db
from app.models import Enquiry
from app.models.programme import ACTIVE, PAUSED, STOPPED
from app.programme import service
from app.timeutil import utcnow

from . import bp
from . import service as desk
from .chart import progress_svg
from .forms import EnrolForm, PartsForm, ProgrammeStatusForm

# What the flash says once a change of status is made.
DONE_WORDS = {PAUSED: "paused", ACTIVE: "resumed", STOPPED: "stopped"}



@bp.get("/programme")
def programme_list():
    show = request.args.get("show", "running")
    if show not in desk.FILTERS:
        abort(400)
    page = request.args.get("page", 1, type=int)
    if page < 1 or page > 100_000:
        abort(400)
    now = utcnow()
    results = desk.programme_list(show, page, now)
    return render_template(
        "desk/programme/list.html", results=results, show=show, now=now, filters=desk.FILTERS,
    ), 404 if results.past_the_end else 200


def _enquiry_or_404(enquiry_id: int) -> Enquiry:
    return db.get_or_404(Enquiry, enquiry_id)


@bp.get("/patients/<int:enquiry_id>")
def patient(enquiry_id: int):
    enquiry = _enquiry_or_404(enquiry_id)
    record("view", "patient", enquiry_id)
    enrolment = service.enrolment_for(enquiry.id)
    parts = all_parts()
    parts_form = PartsForm(formdata=None).set_parts(parts)
    if enrolment is not None:
        parts_form.parts.data = list(enrolment.parts)
    return render_template(
        "desk/programme/patient.html",
        enquiry=enquiry,
        enrolment=enrolment,
        not_eligible=service.why_not_eligible(enquiry),
        timeline=desk.patient_timeline(enquiry, enrolment, utcnow()),
        chart=progress_svg(desk.chart_points(enrolment)) if enrolment else None,
        enrol_form=EnrolForm(),
        status_form=ProgrammeStatusForm(formdata=None),
        parts_form=parts_form,
    )


def _back(enquiry_id: int):
    # Every change on a patient's page ends here, so one call logs them all.
    record("change", "patient", enquiry_id, request.endpoint.rsplit(".", 1)[-1])
    return redirect(url_for(".patient", enquiry_id=enquiry_id), code=303)


@bp.post("/patients/<int:enquiry_id>/enrol")
def enrol(enquiry_id: int):
    enquiry = _enquiry_or_404(enquiry_id)
    form = EnrolForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.enrol(enquiry, address_checked=form.address_checked.data)
    except service.ProgrammeError as error:
        flash(str(error), "error")
    else:
        flash("Enrolled. The first programme email goes out in a moment.", "success")
    return _back(enquiry_id)


@bp.post("/patients/<int:enquiry_id>/status")
def change_status(enquiry_id: int):
    enrolment = service.enrolment_for(_enquiry_or_404(enquiry_id).id)
    form = ProgrammeStatusForm()
    if enrolment is None:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    try:
        service.change_status(enrolment, form.status.data, form.reason.data or "")
    except service.ProgrammeError as error:
        flash(str(error), "error")
    else:
        flash(f"Programme {DONE_WORDS[form.status.data]}.", "success")
    return _back(enquiry_id)


@bp.post("/patients/<int:enquiry_id>/parts")
def choose_parts(enquiry_id: int):
    enrolment = service.enrolment_for(_enquiry_or_404(enquiry_id).id)
    if enrolment is None:
        abort(404)
    form = PartsForm().set_parts(all_parts())
    if not form.validate_on_submit():
        abort(400)
    try:
        service.choose_parts_by_hand(enrolment, form.parts.data or [], current_user.email)
    except service.ProgrammeError as error:
        flash(str(error), "error")
    else:
        flash("The emails still to come will use these parts.", "success")
    return _back(enquiry_id)
