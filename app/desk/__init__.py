"""The osteopath's desk at /admin: one package per part, each a blueprint whose every page
needs a signed-in member of staff. The desk sits on top: it calls the features' services,
and nothing below imports it."""

from flask import Blueprint

from app.auth.guard import require_staff


def desk_blueprint(name: str, import_name: str, url_prefix: str = "/admin") -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix=url_prefix)
    bp.before_request(require_staff)
    return bp
