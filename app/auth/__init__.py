"""Staff sign-in for the desk: the sign-in page, signing out, and `flask staff`."""

from flask import Blueprint

from app.extensions import login

from .demo import warn_about_demo_accounts

bp = Blueprint("auth", __name__, url_prefix="/admin")
# Registering the blueprint is the app's start-up; the database is bound by then.
bp.record_once(lambda state: warn_about_demo_accounts(state.app))

login.login_view = "auth.sign_in"
login.login_message = "Please sign in to use the desk."
login.login_message_category = "info"

from . import routes, sign_in_code  # noqa: E402,F401  (both attach their pages to bp)
