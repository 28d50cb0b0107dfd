from flask import current_app, redirect, render_template, url_for

from app.errors import database_was_busy, form_kept_when_busy
from app.extensions import csrf, db, limiter
from app.models import Enquiry
from app.models.programme import ACTIVE, UNSUBSCRIBED, Enrolment
from app.policy import link_max_age
from app.tokens import Claims, TokenInvalid, read_token

from . import bp, confirmation, service
from .emails import CONFIRM_ADDRESS
from .forms import CheckinForm, ConfirmAddressForm, UnsubscribeForm
from .schedule import CHECKIN_WEEKS


def _enrolment_from(purpose: str, token: str, max_age: int) -> tuple[Enrolment, Claims]:
    """The enrolment a link names; TokenInvalid (a clear page, app.errors) for any bad link."""
    claims = read_token(purpose, token, max_age)
    enrolment = db.session.get(Enrolment, claims.record_id)
    if enrolment is None:
        raise TokenInvalid()
    return enrolment, claims


def _public_limit() -> str:
    return current_app.config["ENQUIRY_RATE_LIMIT"]


@bp.route("/checkin/<token>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
@form_kept_when_busy
def checkin(token: str):
    enrolment, claims = _enrolment_from("checkin", token, link_max_age("CHECKIN"))
    week = claims.extra.get("week")
    if week not in CHECKIN_WEEKS:
        raise TokenInvalid()
    form = CheckinForm()
    # The usual POST answers an open week of a running programme: the database's unique index
    # refuses a week answered already, so the answers are written without a look first.
    if (enrolment.status == ACTIVE and form.validate_on_submit()
            and not database_was_busy()):
        try:
            saved = service.record_checkin(
                enrolment, form.answers(week), form.band.data, form.notes.data
            )
        except service.AlreadyAnswered:
            pass
        else:
            return render_template("programme/checkin_done.html", checkin=saved, just_now=True)
    answered = service.find_checkin(enrolment.id, week)
    if answered is not None:
        return render_template("programme/checkin_done.html", checkin=answered, just_now=False)
    if enrolment.status != ACTIVE:
        return render_template("programme/not_running.html", enrolment=enrolment), 409
    status = 400 if form.is_submitted() else 200
    return render_template("programme/checkin.html", form=form, week=week), status


@bp.route("/programme/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST here with no cookies; the signed token is the proof
@limiter.limit(_public_limit, methods=["POST"])
@form_kept_when_busy
def unsubscribe(token: str):
    enrolment, _ = _enrolment_from("unsubscribe", token, link_max_age("UNSUBSCRIBE"))
    form = UnsubscribeForm(meta={"csrf": False})
    if form.is_submitted() and not database_was_busy():
        service.unsubscribe(enrolment)
        return render_template("programme/unsubscribed.html")
    if enrolment.status == UNSUBSCRIBED:
        return render_template("programme/unsubscribed.html")
    return render_template("programme/unsubscribe.html", form=form)


# The acknowledgement's link lands here rather than on /enquire: it starts the programme, as
# the other links in programme emails run it. Mail scanners open links, so looking changes
# nothing; only the button (a POST) confirms.
@bp.route("/programme/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
@form_kept_when_busy
def confirm_address(token: str):
    claims = read_token(CONFIRM_ADDRESS, token, link_max_age("CONFIRM_ADDRESS"))
    enquiry = db.session.get(Enquiry, claims.record_id)
    if enquiry is None:
        raise TokenInvalid()
    form = ConfirmAddressForm()
    if enquiry.email_confirmed_at is None:
        if form.validate_on_submit() and not database_was_busy():
            confirmation.confirm_address(enquiry)
            return redirect(url_for(".confirm_address", token=token), code=303)
        status = 400 if form.is_submitted() else 200
        return render_template("programme/confirm.html", form=form), status
    enrolment = service.enrolment_for(enquiry.id)
    return render_template(
        "programme/confirmed.html",
        enrolment=enrolment,
        red_flag=enrolment is None and (enquiry.is_urgent or service.later_red_flag(enquiry)),
    )
