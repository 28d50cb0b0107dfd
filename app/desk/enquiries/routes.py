from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.audit import record

from . import bp
from .forms import EnquirySearchForm, ReplyForm, StatusForm
from .service import (
    STATUS_LABELS,
    dashboard,
    enquiry_page,
    find_enquiries,
    open_enquiry,
    reply_to_enquiry,
    retry_email,
    set_status,
)


@bp.get("/", endpoint="dashboard")
def dashboard_page():
    return render_template(
        "desk/enquiries/dashboard.html", desk=dashboard(), status_labels=STATUS_LABELS
    )


@bp.get("/enquiries")
def enquiries():
    form = EnquirySearchForm(request.args)
    if not form.validate():
        return _enquiries_page(form, None), 400
    results = find_enquiries(form.q.data or "", form.show.data, form.page.data or 1)
    return _enquiries_page(form, results), 404 if results.past_the_end else 200


@bp.get("/enquiries/<int:enquiry_id>")
def enquiry(enquiry_id: int):
    page = open_enquiry(enquiry_id)
    if page is None:
        abort(404)
    record("view", "enquiry", enquiry_id)
    reply_form = ReplyForm(formdata=None)
    reply_form.subject.data = "Your enquiry"
    reply_form.message.data = f"Dear {page.enquiry.name},\n\n"
    reply_form.issue_token()
    return _enquiry_page(page, reply_form)


@bp.post("/enquiries/<int:enquiry_id>/reply")
def reply(enquiry_id: int):
    page = enquiry_page(enquiry_id)
    if page is None:
        abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        reply_to_enquiry(
            enquiry_id, current_user.id, form.subject.data, form.message.data,
            form.form_token.data,
        )
        record("change", "enquiry", enquiry_id, "replied")
        flash(f"Your reply is on its way to {page.enquiry.email}.", "success")
        return redirect(url_for(".enquiry", enquiry_id=enquiry_id), code=303)
    return _enquiry_page(page, form, status=400)


@bp.post("/enquiries/<int:enquiry_id>/status")
def enquiry_status(enquiry_id: int):
    if enquiry_page(enquiry_id) is None:
        abort(404)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    set_status(enquiry_id, form.status.data)
    record("change", "enquiry", enquiry_id, f"status: {form.status.data}")
    flash(f"Marked as: {STATUS_LABELS[form.status.data]}.", "success")
    return redirect(url_for(".enquiry", enquiry_id=enquiry_id), code=303)


@bp.post("/emails/<int:message_id>/retry")
def retry(message_id: int):
    queued = retry_email(message_id)
    if queued is None:
        abort(404)
    if queued:
        flash("The email will be sent again in a moment.", "success")
    else:
        flash("That email is no longer marked as failed; nothing was changed.", "info")
    return redirect(url_for(".dashboard"), code=303)


def _enquiry_page(page, reply_form: ReplyForm, status: int = 200):
    status_form = StatusForm(formdata=None, status=page.enquiry.status)
    return (
        render_template(
            "desk/enquiries/enquiry.html", page=page, reply_form=reply_form,
            status_form=status_form, status_labels=STATUS_LABELS,
        ),
        status,
    )


def _enquiries_page(form: EnquirySearchForm, results):
    return render_template(
        "desk/enquiries/enquiries.html", form=form, results=results, status_labels=STATUS_LABELS
    )
