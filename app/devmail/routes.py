from flask import abort, current_app, render_template

from . import bp
from .service import get_message, list_messages


@bp.get("/")
def index():
    return render_template(
        "devmail/index.html", messages=list_messages(current_app.config["DEV_MAILDIR"])
    )


@bp.get("/<key>")
def show(key: str):
    caught = get_message(current_app.config["DEV_MAILDIR"], key)
    if caught is None:
        abort(404)
    return render_template("devmail/message.html", caught=caught)
