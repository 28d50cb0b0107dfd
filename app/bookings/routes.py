from dataclasses import asdict

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address

from app.errors import database_was_busy, form_kept_when_busy
from app.extensions import csrf, db, limiter
from app.models import Appointment, Enquiry
from app.timeutil import format_clinic_time, utcnow
from app.tokens import Claims, TokenInvalid

from . import bp, links, service
from .forms import AcceptOfferForm, BookingForm, CancelForm, RescheduleForm
from .pages import slot_weeks, week_containing

OUTCOME_KEY = "booking_outcome"
WHEN = "%A %-d %B %Y at %H:%M"


def _appointment(claims: Claims) -> Appointment:
    """The appointment a link names; TokenInvalid (a clear page, app.errors) if it is gone."""
    appointment = db.session.get(Appointment, claims.record_id)
    if appointment is None:
        raise TokenInvalid()
    return appointment


def _public_limit() -> str:
    return current_app.config["ENQUIRY_RATE_LIMIT"]


def _enquiry_for(token: str | None) -> Enquiry | None:
    """The enquiry a /book?enquiry= link names; None for no link or one that does not check."""
    if not token:
        return None
    try:
        claims = links.read_from_enquiry(token)
    except TokenInvalid:
        return None
    return db.session.get(Enquiry, claims.record_id)


# As on /enquire, the form checks its own CSRF token, so a stale page keeps what was typed.
@bp.route("/book", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
@csrf.exempt
@form_kept_when_busy
def book():
    form = BookingForm()
    now = utcnow()
    link_failed = False
    if request.method == "GET" and request.args.get("enquiry"):
        enquiry = _enquiry_for(request.args["enquiry"])
        link_failed = enquiry is None
        if enquiry is not None:
            form.patient_name.data, form.email.data = enquiry.name, enquiry.email
            form.phone.data = enquiry.phone or ""
            form.enquiry.data = request.args["enquiry"]
    status = 200
    if form.validate_on_submit() and not database_was_busy():
        enquiry = _enquiry_for(form.enquiry.data)
        try:
            receipt = service.receive_request(
                service.BookingRequest(
                    **form.answers_for(Appointment),
                    enquiry_id=enquiry.id if enquiry is not None else None,
                    start=form.chosen_start,
                    preferred_times=form.preferred_times,
                    consent_contact=form.consent_contact.data,
                    client_address=get_remote_address(),
                ),
                now=now,
            )
        except service.SlotUnavailable as error:
            form.slot.errors.append(str(error))
            status = 409
        except service.BookingError as error:
            form.slot.errors.append(str(error))
            status = 400
        else:
            session[OUTCOME_KEY] = asdict(receipt)
            return redirect(url_for(".thanks"), code=303)
    elif form.is_submitted():
        status = 400
    weeks = slot_weeks(service.free_slots(now))
    week = week_containing(weeks, form.chosen_start, request.args.get("week", type=int))
    return (
        render_template("bookings/book.html", form=form, weeks=weeks, week=week,
                        link_failed=link_failed,
                        length_minutes=service.booking_settings().appointment_minutes),
        status,
    )


@bp.get("/book/thanks")
def thanks():
    outcome = session.get(OUTCOME_KEY)
    if outcome is None:
        return redirect(url_for(".book"))
    starts_at, held_until = outcome.get("starts_at"), outcome.get("held_until")
    return render_template(
        "bookings/thanks.html",
        outcome=outcome,
        starts_at=links.parse_iso_utc(starts_at) if starts_at else None,
        held_until=links.parse_iso_utc(held_until) if held_until else None,
    )


def _manage_page(appointment: Appointment, token: str, status: int = 200, message: str = "",
                 cancel_form=None, reschedule_form=None):
    now = utcnow()
    deadline = service.change_deadline(appointment)
    upcoming = appointment.starts_at is None or appointment.starts_at > now
    return (
        render_template(
            "bookings/manage.html",
            appointment=appointment,
            token=token,
            message=message,
            can_cancel=upcoming and not appointment.is_finished,
            inside_notice=deadline is not None and appointment.status == "confirmed"
            and now >= deadline,
            upcoming=upcoming,
            cancel_form=cancel_form or CancelForm(),
            reschedule_form=reschedule_form or RescheduleForm(),
            too_late=service.too_late_message(),
        ),
        status,
    )


@bp.get("/booking/<token>")
def manage(token: str):
    appointment = _appointment(links.read_manage(token))
    return _manage_page(appointment, token)


def _patient_change(token: str, form, form_name: str, change):
    """A change the patient makes from the manage page: the form checked, the service's
    refusal shown in place, and the manage page again after success."""
    appointment = _appointment(links.read_manage(token))
    if not form.validate() or database_was_busy():
        return _manage_page(appointment, token, 400, **{form_name: form})
    try:
        change(appointment, form)
    except service.BookingError as error:
        return _manage_page(appointment, token, 409, message=str(error))
    return redirect(url_for(".manage", token=token), code=303)


@bp.post("/booking/<token>/cancel")
@limiter.limit(_public_limit)
@csrf.exempt
@form_kept_when_busy
def cancel(token: str):
    return _patient_change(
        token, CancelForm(), "cancel_form",
        lambda appointment, form: service.patient_cancel(appointment, form.reason.data or ""),
    )


@bp.post("/booking/<token>/reschedule")
@limiter.limit(_public_limit)
@csrf.exempt
@form_kept_when_busy
def ask_to_reschedule(token: str):
    return _patient_change(
        token, RescheduleForm(), "reschedule_form",
        lambda appointment, form: service.patient_asks_to_reschedule(
            appointment, form.note.data or ""
        ),
    )


# Accepting takes a POST: mail scanners open links in emails, and must not book for anyone.
@bp.route("/booking/offer/<token>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
@csrf.exempt
@form_kept_when_busy
def accept_offer(token: str):
    claims = links.read_offer(token)
    appointment = _appointment(claims)
    try:
        start = links.parse_iso_utc(claims.extra.get("start"))
    except ValueError:
        raise TokenInvalid() from None
    still_offered = links.iso_utc(start) in appointment.offered_starts
    form = AcceptOfferForm()
    message, status = "", 200
    if still_offered and form.validate_on_submit() and not database_was_busy():
        try:
            service.accept_offer(appointment, start)
        except service.BookingError as error:
            message, status = str(error), 409
        else:
            flash(f"You are booked for {format_clinic_time(start, WHEN)}. "
                  "We have emailed you the details.", "success")
            return redirect(url_for(".manage", token=links.manage_token(appointment.id)),
                            code=303)
    elif not still_offered:
        message, status = "This time is no longer on offer.", 409
    elif form.is_submitted():
        status = 400
    return (
        render_template("bookings/offer.html", appointment=appointment, start=start,
                        form=form, message=message,
                        manage_url=url_for(".manage", token=links.manage_token(appointment.id))),
        status,
    )
