"""The desk's content editing: the article parts and the programme text."""

from app.desk import desk_blueprint

bp = desk_blueprint("desk_content", __name__, url_prefix="/admin/content")

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
