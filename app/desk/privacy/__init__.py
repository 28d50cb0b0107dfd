"""Privacy: the audit log, a person's data exported or erased, and the retention rule."""

from app.desk import desk_blueprint

bp = desk_blueprint("desk_privacy", __name__, url_prefix="/admin/privacy")

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
