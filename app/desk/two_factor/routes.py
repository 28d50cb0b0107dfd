"""The desk's "Sign-in security" page: turning the second factor on and off."""

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth import sessions, two_factor
from app.auth.forms import CodeForm
from app.auth.sign_in_code import code_limit
from app.extensions import limiter

from . import bp

# The secret waits in the (signed) session until a first code proves the app has it, so a
# half-finished set-up never locks anyone out.
SETUP = "two_factor_setup"
WRONG_CODE = "That code did not match. Type the newest code your app shows."


def _staff_key() -> str:
    # The account, not its desk session: signing in again must not start a fresh count.
    return f"two-factor-staff:{getattr(current_user, 'id', None)}"


@bp.get("/")
def settings():
    return render_template("desk/two_factor/two_factor.html", user=current_user,
                           start_form=FlaskForm(), off_form=CodeForm(formdata=None))


@bp.post("/start")
def start():
    if not FlaskForm().validate_on_submit():
        return redirect(url_for(".settings"), code=303)
    session[SETUP] = two_factor.new_secret()
    return redirect(url_for(".setup"), code=303)


@bp.route("/setup", methods=["GET", "POST"])
@limiter.limit(code_limit, methods=["POST"], key_func=_staff_key)
def setup():
    secret = session.get(SETUP)
    if not isinstance(secret, str) or current_user.has_two_factor:
        return redirect(url_for(".settings"), code=303)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        codes = two_factor.enable(user, secret, form.code.data)
        if codes is not None:
            # Turning it on ended every session of the account; this one goes on in a new one.
            sessions.sign_in(user)
            # Shown this once only; the desk keeps just their hashes.
            return render_template("desk/two_factor/recovery_codes.html", codes=codes)
        form.code.errors.append(WRONG_CODE)
        status = 400
    elif form.is_submitted():
        status = 400
    uri = two_factor.provisioning_uri(secret, current_user.email)
    return render_template("desk/two_factor/two_factor_setup.html", form=form, uri=uri,
                           secret=secret, qr=two_factor.qr_svg(uri)), status


@bp.post("/off")
@limiter.limit(code_limit, key_func=_staff_key)
def turn_off():
    form = CodeForm()
    if not current_user.has_two_factor:
        return redirect(url_for(".settings"), code=303)
    if not form.validate_on_submit() or not two_factor.check_code(current_user, form.code.data):
        flash(WRONG_CODE + " The second step is still on.", "error")
        return redirect(url_for(".settings"), code=303)
    user = current_user._get_current_object()
    two_factor.disable(user)
    # Turning it off ended every session of the account; this one carries on in a new one.
    sessions.sign_in(user)
    flash("The second step is off. Signing in now needs only your password.", "success")
    return redirect(url_for(".settings"), code=303)
