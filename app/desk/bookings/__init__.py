"""The desk's bookings: requests and appointments, the week's diary, its settings and its
calendar subscription."""

from app.desk import desk_blueprint

bp = desk_blueprint("desk_bookings", __name__)

from . import feed_routes, routes, settings_routes  # noqa: E402,F401  (routes attach themselves to bp)
