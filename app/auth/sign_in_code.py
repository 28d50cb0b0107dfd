"""The second step of signing in, for accounts with a second factor: the code from the app.

After the right password the session holds only "password checked for account N at T";
nothing of the desk opens until a code matches. The step lapses after a few minutes.
"""

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for

from app.extensions import db
from app.models import StaffUser

from . import bp, sessions
from .devices import limit_tries
from .forms import CodeForm
from .two_factor import check_code

PENDING = "two_factor_pending"
STEP_MINUTES = 5
NOT_RECOGNISED = "That code did not work. Check the app shows this desk, and try the newest code."


def start_code_step(user: StaffUser, next_path: str | None) -> None:
    session[PENDING] = {
        "id": user.id, "email": user.email, "version": user.session_version,
        "at": int(time.time()), "next": next_path,
    }


def _pending_user() -> tuple[StaffUser | None, dict]:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("id"), int):
        return None, {}
    if time.time() - pending.get("at", 0) > STEP_MINUTES * 60:
        return None, {}
    user = db.session.get(StaffUser, pending["id"])
    if (user is None or not sessions.may_sign_in(user)
            or user.session_version != pending.get("version")):
        return None, {}
    return user, pending


def code_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


def _pending(name: str):
    pending = session.get(PENDING)
    return pending.get(name) if isinstance(pending, dict) else None


def _account_key() -> str:
    return f"two-factor-account:{_pending('id')}"


def _pending_email() -> str | None:
    email = _pending("email")
    return email if isinstance(email, str) else None


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limit_tries(code_limit, _account_key, _pending_email, "two-factor")
def sign_in_code():
    user, pending = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash("Please sign in again; the code step lasts only a few minutes.", "info")
        return redirect(url_for(".sign_in"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        if check_code(user, form.code.data):
            landing = pending.get("next") or url_for("desk_enquiries.dashboard")
            return sessions.open_desk(user, landing)
        form.code.errors.append(NOT_RECOGNISED)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/sign_in_code.html", form=form), status
