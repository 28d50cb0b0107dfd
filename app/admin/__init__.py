"""The osteopath's desk at /admin: the dashboard and enquiries. Every page needs sign-in."""

from flask import Blueprint

from app.auth.guard import require_staff

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_staff)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
