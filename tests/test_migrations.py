"""The migrations build exactly the schema the models describe, on every backend."""

import warnings
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app import create_app
from app.bookings.diary import load_defaults
from app.bookings.service import free_slots
from app.extensions import db
from app.models import OutboxMessage
from app.models.types import built_on

from .bookings.helpers import ask_for
from .support.clock import AN_ORDINARY_MORNING
from .support.programme import patient_on_programme


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect an index on an expression (lower(email)): checked by name below.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": built_on(conn.dialect.name),
        })
        differences = compare_metadata(context, db.metadata)
        if conn.dialect.name == "sqlite":
            differences += [("missing expression index", name) for name in
                            _expression_indexes() - set(conn.exec_driver_sql(
                                "SELECT name FROM sqlite_master WHERE type = 'index'"
                            ).scalars())]
    assert differences == [], f"models and migrations disagree: {differences}"


def _expression_indexes() -> set[str]:
    return {
        index.name for table in db.metadata.tables.values() for index in table.indexes
        if not all(isinstance(part, sa.Column) for part in index.expressions)
    }


def test_migrations_reach_a_single_head(app):
    config = Config()
    config.set_main_option("script_location", app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def _schema(conn) -> dict[str, str]:
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    )
    # A renamed table's definition names it in quotes; the same definition either way.
    return {name: sql.replace(f'TABLE "{name}"', f"TABLE {name}") for name, sql in rows}


@pytest.mark.time_machine(AN_ORDINARY_MORNING)  # the booking is for a free slot from now
def test_sqlite_rebuild_for_ids_keeps_rows_links_and_rules(tmp_path):
    """0008 rebuilds four SQLite tables: every row, every row pointing at them, every index,
    CHECK and trigger must come through, and the way back must work too."""
    url = f"sqlite:///{tmp_path / 'rebuild.db'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as conn:
            before = _schema(conn)
            ids = _person_at_0007(conn, "alex@example.org")

        upgrade(revision="0008")
        with db.engine.begin() as conn:
            after = _schema(conn)
            assert set(after) == set(before), "every table, index and trigger is still there"
            for table in ("enquiry", "enquiry_reply", "enrolment", "appointment"):
                assert "AUTOINCREMENT" in after[table]
            assert _links(conn) == ids
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("SELECT count(*) FROM outbox_message").scalar() >= 2
        half = (ENDS - STARTS) / 2
        with pytest.raises(sa.exc.IntegrityError, match="overlaps"), db.engine.begin() as conn:
            _insert(conn, "appointment", **_appointment("bo@example.org", None,
                                                        STARTS + half, ENDS + half))
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE enquiry SET pain_score = 11")

        downgrade(revision="0007")
        with db.engine.begin() as conn:
            assert _schema(conn) == before
            assert _links(conn) == ids
        db.session.remove()
        db.engine.dispose()


@pytest.mark.time_machine(AN_ORDINARY_MORNING)  # the bookings are for free slots from now
def test_sqlite_numbers_erased_before_0008_are_not_given_again(tmp_path):
    """A person erased before the upgrade left the highest numbers free; their emails' keys
    still name them, so the next person must get new ones, and their own emails."""
    url = f"sqlite:///{tmp_path / 'erased.db'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as conn:
            _person_at_0007(conn, "first@example.org")
            erased_ids = _person_at_0007(conn, "erased@example.org")
            _erase_at_0007(conn, "erased@example.org")

        upgrade()  # through 0008 to the newest schema, which the services below write
        now = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
        after = patient_on_programme(now, email="next@example.org")
        load_defaults()
        booking = ask_for(free_slots(now)[0][0], now, email="next@example.org")
        assert after.enquiry_id > erased_ids[0] and after.id > erased_ids[1]
        assert booking.id > erased_ids[2]
        acknowledgement = db.session.execute(sa.select(OutboxMessage).where(
            OutboxMessage.idempotency_key == f"enquiry:{after.enquiry_id}:acknowledgement"
        )).scalar_one()
        assert acknowledgement.recipient == "next@example.org"
        db.session.remove()
        db.engine.dispose()


def test_sqlite_0011_adds_its_columns_without_rebuilding_a_table(tmp_path):
    """0011 adds columns and unique indexes in place: the double-booking triggers and the
    AUTOINCREMENT of 0008 stay, and the way back leaves the schema as it was."""
    url = f"sqlite:///{tmp_path / 'columns.db'}"
    with create_app("testing", {"SQLALCHEMY_DATABASE_URI": url}).app_context():
        before = _schema_after(upgrade, "0010")
        after = _schema_after(upgrade, "0011")
        triggers = {name: sql for name, sql in before.items() if "no_overlap" in name}
        assert len(triggers) == 2
        assert {name: after.get(name) for name in triggers} == triggers
        assert "AUTOINCREMENT" in after["appointment"] and "AUTOINCREMENT" in after["enquiry"]
        assert "CREATE UNIQUE INDEX" in after["ix_appointment_submission_key"]
        assert _schema_after(downgrade, "0010") == before
        db.engine.dispose()


def test_sqlite_0012_adds_attendance_and_the_feed_without_rebuilding_a_table(tmp_path):
    """0012 adds its columns in place, attendance with its check on the column (SQLite cannot
    add a table constraint): the triggers and AUTOINCREMENT stay, rows keep their data, an
    unknown attendance is refused, and the way back leaves the schema as it was."""
    url = f"sqlite:///{tmp_path / 'attendance.db'}"
    with create_app("testing", {"SQLALCHEMY_DATABASE_URI": url}).app_context():
        before = _schema_after(upgrade, "0011")
        with db.engine.begin() as conn:
            kept = _insert(conn, "appointment", **_appointment("kept@example.org", None,
                                                                STARTS, ENDS))
        after = _schema_after(upgrade, "0012")
        triggers = {name: sql for name, sql in before.items() if "no_overlap" in name}
        assert {name: after.get(name) for name in triggers} == triggers
        assert "AUTOINCREMENT" in after["appointment"] and "calendar_feed" in after
        assert "ck_appointment_attendance_known" in after["appointment"]
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql(
                f"SELECT email, attendance FROM appointment WHERE id = {kept}"
            ).one() == ("kept@example.org", None)
            conn.exec_driver_sql(f"UPDATE appointment SET attendance = 'attended' "
                                 f"WHERE id = {kept}")
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE appointment SET attendance = 'late'")
        after_down = _schema_after(downgrade, "0011")
        assert after_down == before
        db.engine.dispose()


def test_0012_goes_down_and_up_again_on_this_database(app):
    """On the test's own database (SQLite, and PostgreSQL when it is set): down to 0011 and
    back, then the models and migrations still agree."""
    downgrade(revision="0011")
    with db.engine.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("appointment")}
    assert "calendar_feed" not in tables and "attendance" not in columns
    upgrade()
    test_models_and_migrations_agree(app)


def _schema_after(step, revision: str) -> dict[str, str]:
    """Upgrade or downgrade to `revision`, then read the schema."""
    step(revision=revision)
    with db.engine.begin() as conn:
        return _schema(conn)


# Rows as revision 0007 stored them, written in SQL: the models describe the newest schema,
# whose later columns 0007 does not have. Times are naive UTC in SQLAlchemy's SQLite format.
STARTS = datetime(2027, 3, 2, 10, 0)
ENDS = STARTS + timedelta(minutes=45)


def _stored(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _insert(conn, table: str, **values) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return conn.execute(
        sa.text(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id"), values
    ).scalar_one()


def _appointment(email: str, enquiry_id: int | None, starts: datetime, ends: datetime) -> dict:
    at = _stored(STARTS - timedelta(days=1))
    return dict(
        status="confirmed", patient_name="A patient", email=email, reason="",
        enquiry_id=enquiry_id, starts_at=_stored(starts), ends_at=_stored(ends),
        preferred_times="[]", offered_starts="[]", decline_reason="", cancel_reason="",
        reschedule_requested=False, reschedule_note="", ics_uid=f"{email}-{starts:%H%M}",
        sequence=0, created_at=at, updated_at=at, consent_version="2026-11",
    )


def _person_at_0007(conn, email: str) -> tuple[int, int, int]:
    """An enquiry on the programme with a confirmed appointment, and an email about each;
    returns the enquiry's, the enrolment's and the appointment's numbers."""
    at = _stored(STARTS - timedelta(days=1))
    enquiry = _insert(
        conn, "enquiry", created_at=at, status="new", name="A patient", email=email,
        problem="back", location="lower back", duration="over_3_months", triggers="[]",
        trigger_other="", pain_score=5, message="", wants_appointment=True, red_flags="[]",
        urgency="none", consent_contact=True, consent_followup=True, consent_version="2026-11",
        consent_at=at,
    )
    enrolment = _insert(
        conn, "enrolment", enquiry_id=enquiry, status="active", enrolled_at=at,
        pain_at_enrolment=5, parts='["part-2-hip-strength"]', part_reasons="[]",
        parts_chosen_by="rules", status_reason="",
    )
    starts = STARTS + timedelta(hours=enquiry)  # each person's hour of their own
    appointment = _insert(conn, "appointment", **_appointment(
        email, enquiry, starts, starts + (ENDS - STARTS)))
    for key in (f"enquiry:{enquiry}:acknowledgement", f"programme:{enrolment}:welcome",
                f"appointment:{appointment}:requested"):
        _insert(
            conn, "outbox_message", idempotency_key=key, message_id=f"<{key}@clinic.example>",
            template="enquiry_acknowledgement", recipient=email, recipient_name="",
            subject="An email", context="{}", status="sent", created_at=at, due_at=at,
            attempts=1,
        )
    return enquiry, enrolment, appointment


def _erase_at_0007(conn, email: str) -> None:
    """What erasure did then: the person's rows deleted, their emails kept but emptied."""
    for table in ("appointment", "enrolment", "enquiry"):
        owner = "email = :email" if table != "enrolment" else (
            "enquiry_id IN (SELECT id FROM enquiry WHERE email = :email)")
        conn.execute(sa.text(f"DELETE FROM {table} WHERE {owner}"), {"email": email})
    conn.execute(sa.text("UPDATE outbox_message SET recipient = 'erased', subject = 'erased' "
                         "WHERE recipient = :email"), {"email": email})


def _links(conn) -> tuple[int, int, int]:
    """The enquiry, and the enrolment and appointment that point at it."""
    row = conn.exec_driver_sql(
        "SELECT enquiry.id, enrolment.id, appointment.id FROM enquiry "
        "JOIN enrolment ON enrolment.enquiry_id = enquiry.id "
        "JOIN appointment ON appointment.enquiry_id = enquiry.id"
    ).one()
    return tuple(row)
