"""The osteopath's desk at /admin: the dashboard and enquiries. Every page needs sign-in."""

from app.desk import desk_blueprint

bp = desk_blueprint("desk_enquiries", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
