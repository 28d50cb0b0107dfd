"""Public enquiries: the form at /enquire and its thank-you page."""

from flask import Blueprint

bp = Blueprint("enquiries", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
