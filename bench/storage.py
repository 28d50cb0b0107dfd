"""The storage limit's writes (bench.baselines.storage_app): each patient POST's rows in one
transaction with sqlite3 or psycopg, as app.database sets SQLite up (WAL, a busy timeout,
BEGIN IMMEDIATE) and with PostgreSQL's diary lock where the clinic takes it."""

import hashlib
import hmac
import json
import sqlite3
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

ENQUIRY = (
    "created_at, status, name, email, phone, problem, location, duration, triggers, "
    "trigger_other, pain_score, message, wants_appointment, red_flags, urgency, "
    "consent_contact, consent_followup, consent_version, consent_at, source_ref, submission_key"
)
OUTBOX = (
    "idempotency_key, message_id, template, recipient, recipient_name, reply_to, subject, "
    "context, enquiry_id, status, created_at, due_at, attempts"
)
APPOINTMENT = (
    "status, patient_name, email, phone, reason, starts_at, ends_at, hold_until, "
    "preferred_times, offered_starts, decline_reason, cancel_reason, reschedule_requested, "
    "reschedule_note, ics_uid, sequence, consent_version, consent_at, submission_key, "
    "client_hash, created_at, updated_at"
)
CHECKIN = (
    "enrolment_id, week, answered_at, sessions_per_week, sets, repetitions, effort, "
    "knees_very_wide, weaker_side, band, pain_score, red_flags, advice, notes"
)
ENROLMENT = "enquiry_id, status, enrolled_at, pain_at_enrolment, parts, part_reasons, " \
    "parts_chosen_by, status_reason"
CONSENT_VERSION = "2026-11"
DIARY_LOCK_KEY = 4_202_612  # app.bookings.availability's
PROGRAMME = [("welcome", "programme_welcome", 0), ("week-2", "programme_checkin", 14),
             ("week-4", "programme_checkin", 28), ("week-6", "programme_checkin", 42),
             ("closing", "programme_closing", 43)]


class Writer:
    """One worker thread's connection and the four POSTs' transactions."""

    def __init__(self, url: str) -> None:
        self.postgres = url.startswith("postgresql")
        self.mark = "%s" if self.postgres else "?"
        if self.postgres:
            import psycopg

            self.conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
        else:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            for pragma in ("journal_mode=WAL", "busy_timeout=10000", "foreign_keys=ON"):
                self.conn.execute(f"PRAGMA {pragma}")
        with self.transaction() as cursor:
            cursor.execute("SELECT appointment_minutes, hold_hours FROM booking_settings")
            minutes, hours = cursor.fetchone()
        self.length, self.hold = timedelta(minutes=minutes), timedelta(hours=hours)

    @contextmanager
    def transaction(self):
        cursor = self.conn.cursor()
        if not self.postgres:
            cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
            self.conn.commit() if self.postgres else cursor.execute("COMMIT")
        except Exception:
            self.conn.rollback() if self.postgres else cursor.execute("ROLLBACK")
            raise

    def stamp(self, moment: datetime):
        return moment if self.postgres else moment.replace(tzinfo=None).isoformat(" ")

    def insert(self, cursor, table: str, columns: str, values: tuple) -> int:
        marks = ", ".join([self.mark] * len(values))
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id", values)
        return cursor.fetchone()[0]

    def email(self, cursor, key: str, template: str, record: int, now, due=None) -> None:
        message_id = f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@clinic.example>"
        self.insert(cursor, "outbox_message", OUTBOX, (
            key, message_id, template, "patient@example.org", "A patient", None,
            "A subject | The clinic", "{}", record, "pending", self.stamp(now),
            self.stamp(due or now), 0,
        ))

    def enquiry(self, form, now: datetime) -> None:
        with self.transaction() as cursor:
            record = self.insert(cursor, "enquiry", ENQUIRY, (
                self.stamp(now), "new", form["name"], form["email"], form.get("phone"),
                form["problem"], form["location"], form["duration"],
                json.dumps(form.getlist("triggers")), form.get("trigger_other", ""),
                int(form["pain_score"]), form.get("message", ""),
                "wants_appointment" in form, "[]", "none", True,
                "consent_followup" in form, CONSENT_VERSION, self.stamp(now), form.get("ref"),
                form["submission_key"],
            ))
            for kind in ("acknowledgement", "notification"):
                self.email(cursor, f"enquiry:{record}:{kind}", f"enquiry_{kind}", record, now)

    def booking(self, form, start: datetime, client: str, now: datetime) -> None:
        client_hash = hmac.new(b"bench", client.encode(), hashlib.sha256).hexdigest()
        m = self.mark
        with self.transaction() as cursor:
            if self.postgres:
                cursor.execute(f"SELECT pg_advisory_xact_lock({m})", (DIARY_LOCK_KEY,))
            cursor.execute(
                f"UPDATE appointment SET hold_until = {m}, updated_at = {m} WHERE status = "
                f"'requested' AND hold_until > {m} AND (lower(email) = {m} OR client_hash = {m})",
                (self.stamp(now), self.stamp(now), self.stamp(now), form["email"].lower(),
                 client_hash))
            cursor.execute(
                "UPDATE appointment SET client_hash = NULL WHERE client_hash IS NOT NULL AND "
                f"(status != 'requested' OR hold_until IS NULL OR hold_until <= {m})",
                (self.stamp(now),))
            record = self.insert(cursor, "appointment", APPOINTMENT, (
                "requested", form["name"], form["email"], form.get("phone"), form.get("reason"),
                self.stamp(start), self.stamp(start + self.length), self.stamp(now + self.hold),
                "[]", "[]", "", "", False, "", f"{uuid.uuid4()}@clinic.example", 0,
                CONSENT_VERSION, self.stamp(now), form["submission_key"], client_hash,
                self.stamp(now), self.stamp(now),
            ))
            for kind in ("received", "notification"):
                self.email(cursor, f"booking:{record}:{kind}", f"booking_{kind}", None, now)

    def checkin(self, form, enrolment: int, week: int, now: datetime) -> None:
        with self.transaction() as cursor:
            self.insert(cursor, "checkin", CHECKIN, (
                enrolment, week, self.stamp(now), int(form["sessions_per_week"]),
                int(form["sets"]), int(form["repetitions"]), form["effort"],
                form["knees_very_wide"] == "yes", form["weaker_side"], form.get("band", ""),
                int(form["pain_score"]), "[]", '["keep_going"]', form.get("notes", ""),
            ))

    def confirmation(self, enquiry: int, now: datetime) -> None:
        with self.transaction() as cursor:
            record = self.insert(cursor, "enrolment", ENROLMENT, (
                enquiry, "active", self.stamp(now), 5, '["part-2-hip-strength"]',
                '["default"]', "rules", "",
            ))
            cursor.execute(f"UPDATE enquiry SET email_confirmed_at = {self.mark} WHERE id = "
                           f"{self.mark}", (self.stamp(now), enquiry))
            for name, template, days in PROGRAMME:
                key = f"programme:{record}:{name}"
                self.email(cursor, key, template, enquiry, now, now + timedelta(days=days))
