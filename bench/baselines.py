"""The two baselines the enquiry form is measured against, served by the same gunicorn.

`bare_app()` is Flask alone: it reads the same form and redirects (the framework's limit).
`storage_app()` writes the same three rows as the real intake (the enquiry, with the form's
one-time key in its unique column, and its two outbox messages) in one transaction with the
database driver itself, no ORM and no form library (the storage limit). Both GETs hand out a
hidden token so the client does the same work for all.
"""

import hashlib
import json
import os
import sqlite3
import threading
from datetime import UTC, datetime

from flask import Flask, redirect, request

FORM = (
    '<form method="post"><input type="hidden" name="csrf_token" value="{token}">'
    '<input type="hidden" name="started" value="{token}"><button>Send</button></form>'
)


def bare_app() -> Flask:
    app = Flask(__name__)

    @app.route("/enquire", methods=["GET", "POST"])
    def enquire():
        if request.method == "GET":
            return FORM.format(token=os.urandom(16).hex())
        dict(request.form.lists())
        return redirect("/enquire/thanks", code=303)

    return app


ENQUIRY_COLUMNS = (
    "created_at, status, name, email, phone, problem, location, duration, triggers, "
    "trigger_other, pain_score, message, wants_appointment, red_flags, urgency, "
    "consent_contact, consent_followup, consent_version, consent_at, source_ref, "
    "submission_key"
)
OUTBOX_COLUMNS = (
    "idempotency_key, message_id, template, recipient, recipient_name, reply_to, subject, "
    "context, enquiry_id, status, created_at, due_at, attempts"
)


def storage_app() -> Flask:
    url = os.environ["DATABASE_URL"]
    local = threading.local()
    postgres = url.startswith("postgresql")
    mark = "%s" if postgres else "?"

    def connection():
        if not hasattr(local, "conn"):
            if postgres:
                import psycopg

                local.conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
            else:
                # The same settings as app.database: WAL, a busy timeout, BEGIN IMMEDIATE.
                conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA busy_timeout=10000")
                conn.execute("PRAGMA foreign_keys=ON")
                local.conn = conn
        return local.conn

    def insert(cursor, table: str, columns: str, values: tuple) -> int:
        marks = ", ".join([mark] * len(values))
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id", values)
        return cursor.fetchone()[0]

    app = Flask(__name__)

    @app.route("/enquire", methods=["GET", "POST"])
    def enquire():
        if request.method == "GET":
            return FORM.format(token=os.urandom(16).hex())
        form = request.form
        now = datetime.now(UTC)
        stamp = now if postgres else now.replace(tzinfo=None).isoformat(" ")
        conn = connection()
        cursor = conn.cursor()
        if not postgres:
            cursor.execute("BEGIN IMMEDIATE")
        try:
            enquiry_id = insert(cursor, "enquiry", ENQUIRY_COLUMNS, (
                stamp, "new", form["name"], form["email"], form.get("phone"),
                form["problem"], form["location"], form["duration"],
                json.dumps(form.getlist("triggers")), form.get("trigger_other", ""),
                int(form["pain_score"]), form.get("message", ""), False, "[]", "none",
                True, False, "2026-11", stamp, None, form["submission_key"],
            ))
            for kind, to in (("acknowledgement", form["email"]), ("notification", "desk")):
                key = f"enquiry:{enquiry_id}:{kind}"
                message_id = f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@clinic.example>"
                insert(cursor, "outbox_message", OUTBOX_COLUMNS, (
                    key, message_id, f"enquiry_{kind}", to, form["name"], None,
                    f"New enquiry from {form['name']}", "{}", enquiry_id, "pending",
                    stamp, stamp, 0,
                ))
            conn.commit() if postgres else cursor.execute("COMMIT")
        except Exception:
            conn.rollback() if postgres else cursor.execute("ROLLBACK")
            raise
        return redirect("/enquire/thanks", code=303)

    return app
