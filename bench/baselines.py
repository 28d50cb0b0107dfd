"""The two baselines every patient POST is measured against, served by the same gunicorn.

`bare_app()` is Flask alone: each route reads the same form and answers as the clinic's does
(a redirect, or a short page), writing nothing (the framework's limit). `storage_app()`
writes the rows the clinic's POST writes, in one transaction with the database driver itself,
no ORM and no form library (the storage limit): the enquiry and its two emails; the booking
request holding its slot, with the earlier hold released, old clients' hashes dropped and two
emails; the check-in's answers; the confirmation's stamp, the enrolment and its five emails.
It reads nothing the clinic reads first (links are taken at their word, the diary is not
looked at): what it costs is the writes alone.
"""

import base64
import json
import os
import threading
from datetime import UTC, datetime

from flask import Flask, redirect, request

from .storage import Writer

FORM = (
    '<form method="post"><input type="hidden" name="csrf_token" value="{token}">'
    '<input type="hidden" name="started" value="{token}"><button>Send</button></form>'
)
ROUTES = {
    "enquiry": "/enquire",
    "booking": "/book",
    "check-in": "/checkin/<token>",
    "confirmation": "/programme/confirm/<token>",
}


def _answer(kind: str):
    """What the clinic answers a saved POST of `kind` with: a redirect, or the check-in's
    page of advice (here a line)."""
    if kind == "check-in":
        return "<p>Thank you for your answers</p>"
    return redirect(request.path + ("/thanks" if kind in ("enquiry", "booking") else ""),
                    code=303)


def bare_app() -> Flask:
    app = Flask(__name__)

    @app.get("/enquire")
    def form_page():
        return FORM.format(token=os.urandom(16).hex())

    def view(kind: str):
        def read(token: str = ""):
            dict(request.form.lists())
            return _answer(kind)
        return read

    for kind, rule in ROUTES.items():
        app.add_url_rule(rule, f"bare_{kind}", view(kind), methods=["POST"])
    return app


def record_id(token: str) -> dict:
    """The payload of one of the app's signed links, read without checking the signature."""
    payload = token.split(".", 1)[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def storage_app() -> Flask:
    local = threading.local()

    def writer() -> Writer:
        if not hasattr(local, "writer"):
            local.writer = Writer(os.environ["DATABASE_URL"])
        return local.writer

    app = Flask(__name__)

    @app.get("/enquire")
    def form_page():
        return FORM.format(token=os.urandom(16).hex())

    @app.post("/enquire")
    def enquiry():
        writer().enquiry(request.form, datetime.now(UTC))
        return _answer("enquiry")

    @app.post("/book")
    def booking():
        form = request.form
        start = datetime.fromisoformat(form["slot"].replace("Z", "+00:00"))
        writer().booking(form, start, request.remote_addr or "", datetime.now(UTC))
        return _answer("booking")

    @app.post("/checkin/<token>")
    def checkin(token: str):
        claims = record_id(token)
        writer().checkin(request.form, claims["id"], claims["week"], datetime.now(UTC))
        return _answer("check-in")

    @app.post("/programme/confirm/<token>")
    def confirmation(token: str):
        writer().confirmation(record_id(token)["id"], datetime.now(UTC))
        return _answer("confirmation")

    return app

