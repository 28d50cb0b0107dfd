from dataclasses import asdict

from flask import current_app, redirect, render_template, request, session, url_for

from app.clinical.screening import EMERGENCY_CODES, RED_FLAGS
from app.errors import database_was_busy, form_kept_when_busy
from app.extensions import csrf, limiter
from app.models import Enquiry

from . import bp
from .forms import EnquiryForm
from .service import EnquirySubmission, receive_enquiry

OUTCOME_KEY = "enquiry_outcome"


def _enquiry_limit() -> str:
    return current_app.config["ENQUIRY_RATE_LIMIT"]


# The form checks its own CSRF token (FlaskForm does, with CSRF enabled), so a stale or missing
# token shows the form again with every answer kept; the app-wide check would answer with a
# bare error page and lose what someone in pain took minutes to type.
@bp.route("/enquire", methods=["GET", "POST"])
@limiter.limit(_enquiry_limit, methods=["POST"])
@csrf.exempt
@form_kept_when_busy
def enquire():
    form = EnquiryForm()
    if request.method == "GET":
        form.carry_ref(request.args.get("ref", ""))
    if form.validate_on_submit() and not database_was_busy():
        receipt = receive_enquiry(EnquirySubmission(**form.answers_for(Enquiry)))
        session[OUTCOME_KEY] = asdict(receipt)
        return redirect(url_for(".thanks"), code=303)
    status = 400 if form.is_submitted() else 200
    return (
        render_template(
            "enquiries/enquire.html",
            form=form,
            red_flags=RED_FLAGS,
            emergency_codes=EMERGENCY_CODES,
        ),
        status,
    )


@bp.get("/enquire/thanks")
def thanks():
    outcome = session.get(OUTCOME_KEY)
    if outcome is None:
        return redirect(url_for(".enquire"))
    return render_template("enquiries/thanks.html", outcome=outcome)
