"""The six-week home programme: the right article part, the clamshell, check-ins and advice."""

from flask import Blueprint

bp = Blueprint("programme", __name__)

from . import messages, routes  # noqa: E402,F401  (messages registers its context builders)
