"""The second step of signing in, for accounts with a second factor: the code from the app.

After the right password the session holds only "password checked for account N at T";
nothing of the desk opens until a code matches. The step lapses after a few minutes.
"""

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for

from app.extensions import db, limiter
from app.models import StaffUser

from . import bp, sessions
from .forms import CodeForm
from .two_factor import check_code

PENDING = "two_factor_pending"
STEP_MINUTES = 5
NOT_RECOGNISED = "That code did not work. Check the app shows this desk, and try the newest code."


def start_code_step(user: StaffUser, next_path: str | None) -> None:
    session[PENDING] = {
        "id": user.id, "version": user.session_version, "at": int(time.time()),
        "next": next_path,
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


def _code_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


def _account_key() -> str:
    pending = session.get(PENDING)
    account = pending.get("id") if isinstance(pending, dict) else None
    return f"two-factor-account:{account}"


def _failed(response) -> bool:
    return response.status_code != 303


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_code_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def sign_in_code():
    user, pending = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash("Please sign in again; the code step lasts only a few minutes.", "info")
        return redirect(url_for(".sign_in"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        if check_code(user, form.code.data):
            sessions.sign_in(user)
            return redirect(pending.get("next") or url_for("admin.dashboard"), code=303)
        form.code.errors.append(NOT_RECOGNISED)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/sign_in_code.html", form=form), status
