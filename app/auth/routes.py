from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from . import bp, sessions
from .devices import limit_tries
from .forms import SignInForm
from .guard import safe_next
from .service import authenticate, sign_out_everywhere
from .sign_in_code import start_code_step

# The same words whether the address is unknown or the password wrong, so the page does not
# tell anyone which addresses have accounts.
NOT_RECOGNISED = "Email or password not recognised"


def _signin_limit() -> str:
    return current_app.config["SIGNIN_RATE_LIMIT"]


def _typed_email() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _account_key() -> str:
    return "signin-account:" + _typed_email()


@bp.route("/sign-in", methods=["GET", "POST"])
@limit_tries(_signin_limit, _account_key, _typed_email, "signin")
def sign_in():
    next_path = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or url_for("desk_enquiries.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None and user.has_two_factor:
            # Nothing from before carries over; the password alone signs nobody in.
            session.clear()
            start_code_step(user, next_path)
            return redirect(url_for(".sign_in_code"), code=303)
        if user is not None:
            return sessions.open_desk(user, next_path or url_for("desk_enquiries.dashboard"))
        form.form_errors.append(NOT_RECOGNISED)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/sign_in.html", form=form, next_path=next_path), status


@bp.post("/sign-out")
def sign_out():
    sessions.sign_out()
    flash("You have signed out.", "info")
    return redirect(url_for(".sign_in"), code=303)


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_all_devices():
    sign_out_everywhere(current_user.id)
    sessions.sign_out()
    flash("You have signed out on every phone and computer.", "info")
    return redirect(url_for(".sign_in"), code=303)
