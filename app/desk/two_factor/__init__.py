"""The desk's second sign-in step: turning it on with an authenticator app, and off."""

from app.desk import desk_blueprint

bp = desk_blueprint("desk_two_factor", __name__, url_prefix="/admin/two-factor")

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
