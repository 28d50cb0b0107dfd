"""Staff sign-in for the desk: the sign-in page, signing out, and `flask staff`."""

from flask import Blueprint

from app.extensions import login

bp = Blueprint("auth", __name__, url_prefix="/admin")

login.login_view = "auth.sign_in"
login.login_message = "Please sign in to use the desk."
login.login_message_category = "info"

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
