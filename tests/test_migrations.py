"""The migrations build exactly the schema the models describe, on every backend."""

import warnings
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from app.models import Appointment, OutboxMessage
from app.models.types import built_on
from app.privacy.service import erase_person

from .bookings.helpers import ask_for, soon_slot
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
        enrolment = patient_on_programme(datetime.now(UTC))
        appointment = ask_for(soon_slot(), datetime.now(UTC))
        appointment.status, appointment.enquiry_id = "confirmed", enrolment.enquiry_id
        db.session.commit()
        ids = (enrolment.enquiry_id, enrolment.id, appointment.id)
        starts_at, ends_at = appointment.starts_at, appointment.ends_at
        db.session.remove()

        upgrade(revision="0008")
        with db.engine.begin() as conn:
            after = _schema(conn)
            assert set(after) == set(before), "every table, index and trigger is still there"
            for table in ("enquiry", "enquiry_reply", "enrolment", "appointment"):
                assert "AUTOINCREMENT" in after[table]
            assert _links(conn) == ids
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("SELECT count(*) FROM outbox_message").scalar() >= 2
        overlapping = Appointment(
            status="confirmed", patient_name="Bo", email="bo@example.org", reason="",
            starts_at=starts_at + (ends_at - starts_at) / 2,
            ends_at=ends_at + (ends_at - starts_at),
        )
        db.session.add(overlapping)
        with pytest.raises(sa.exc.IntegrityError, match="overlaps"):
            db.session.commit()
        db.session.rollback()
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
        now = datetime.now(UTC)
        patient_on_programme(now, email="first@example.org")
        erased = patient_on_programme(now, email="erased@example.org")
        erased_booking = ask_for(soon_slot(), now, email="erased@example.org")
        erased_ids = (erased.enquiry_id, erased.id, erased_booking.id)
        erase_person("erased@example.org")
        db.session.remove()

        upgrade(revision="0008")
        after = patient_on_programme(now, email="next@example.org")
        booking = ask_for(soon_slot(days_ahead=4), now, email="next@example.org")
        assert after.enquiry_id > erased_ids[0] and after.id > erased_ids[1]
        assert booking.id > erased_ids[2]
        acknowledgement = db.session.execute(sa.select(OutboxMessage).where(
            OutboxMessage.idempotency_key == f"enquiry:{after.enquiry_id}:acknowledgement"
        )).scalar_one()
        assert acknowledgement.recipient == "next@example.org"
        db.session.remove()
        db.engine.dispose()


def _links(conn) -> tuple[int, int, int]:
    """The enquiry, and the enrolment and appointment that point at it."""
    row = conn.exec_driver_sql(
        "SELECT enquiry.id, enrolment.id, appointment.id FROM enquiry "
        "JOIN enrolment ON enrolment.enquiry_id = enquiry.id "
        "JOIN appointment ON appointment.enquiry_id = enquiry.id"
    ).one()
    return tuple(row)
