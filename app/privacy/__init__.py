"""Privacy: the audit log, a person's data exported or erased, and the retention rule."""

from flask import Blueprint

from app.auth.guard import require_staff

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")
bp.before_request(require_staff)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
