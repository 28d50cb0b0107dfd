"""The local mail catcher for `make run`: an SMTP server on loopback and pages to read it.

Registered only when DEV_MAILDIR is set (the development configuration), so it never exists in
production.
"""

from flask import Blueprint

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")

from . import routes  # noqa: E402,F401
