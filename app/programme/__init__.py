"""The six-week home programme: the right article part, the clamshell, check-ins and advice."""

from flask import Blueprint

bp = Blueprint("programme", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
