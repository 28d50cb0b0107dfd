"""Signing the desk out after a while unused, so an unattended computer does not stay open."""

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import logout_user

LAST_SEEN = "desk_last_seen"
IDLE_MESSAGE = (
    "You were signed out because the desk was not used for {minutes} minutes. "
    "Please sign in again."
)


def register_idle_timeout(app: Flask) -> None:
    app.before_request(_sign_out_when_idle)


def _sign_out_when_idle():
    # Only a signed-in session carries _user_id; public pages never touch the database here.
    if "_user_id" not in session or request.endpoint == "static":
        return None
    minutes = current_app.config["DESK_IDLE_MINUTES"]
    now = int(time.time())
    last_seen = session.get(LAST_SEEN)
    if isinstance(last_seen, int) and now - last_seen > minutes * 60:
        logout_user()
        session.clear()
        if not request.path.startswith("/admin"):
            return None  # a public page carries on, simply signed out
        flash(IDLE_MESSAGE.format(minutes=minutes), "info")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.sign_in", next=target), code=303)
    session[LAST_SEEN] = now
    return None
