"""Saying why the desk asks to sign in again when a session lapsed on the server.

A desk session ends after DESK_IDLE_MINUTES unused, or DESK_SESSION_MAX_HOURS after signing
in (app/auth/sessions.py); the next desk page then goes to sign-in with the reason, and comes
back to the page afterwards.
"""

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from .sessions import IDLE, LAPSED

IDLE_MESSAGE = (
    "You were signed out because the desk was not used for {minutes} minutes. "
    "Please sign in again."
)
TOO_LONG_MESSAGE = (
    "You were signed out because you signed in more than {hours} hours ago. "
    "Please sign in again."
)


def register_idle_timeout(app: Flask) -> None:
    app.before_request(_forget_ended_session)


def _forget_ended_session():
    # Only a signed-in session carries _user_id; public pages never touch the database here.
    if "_user_id" not in session or request.endpoint == "static":
        return None
    if current_user.is_authenticated:
        return None
    # The cookie names a desk session that has ended: nothing in it is kept.
    lapsed = g.pop(LAPSED, None)
    logout_user()
    session.clear()
    if lapsed is None or not request.path.startswith("/admin"):
        return None  # a public page carries on, simply signed out
    config = current_app.config
    message = (IDLE_MESSAGE.format(minutes=config["DESK_IDLE_MINUTES"]) if lapsed == IDLE
               else TOO_LONG_MESSAGE.format(hours=config["DESK_SESSION_MAX_HOURS"]))
    flash(message, "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=target), code=303)
