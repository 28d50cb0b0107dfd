"""The desk's programme: the patients on it, and each patient's page."""

from app.desk import desk_blueprint

bp = desk_blueprint("desk_programme", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
