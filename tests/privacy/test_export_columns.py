"""Every column of a table that holds a person's data is in their export, or says why not."""

import json

import pytest

from app.extensions import db
from app.models import Enquiry

from ..support.clock import AN_ORDINARY_MORNING
from ..support.desk import post_form
from .helpers import EMAIL, person_everywhere

pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)


def _person_tables() -> list:
    """The enquiry's table and every table that refers to it, directly or through another."""
    found = [Enquiry.__table__]
    for table in db.metadata.sorted_tables:
        if any(key.column.table in found for key in table.foreign_keys):
            found.append(table)
    return found


def _columns():
    return [(table.name, column) for table in _person_tables() for column in table.columns]


def test_the_person_tables_are_found():
    names = {table.name for table in _person_tables()}
    assert names >= {"enquiry", "enquiry_reply", "enrolment", "checkin", "appointment",
                     "outbox_message"}


@pytest.mark.parametrize(("table", "column"), _columns(), ids=lambda c: getattr(c, "name", c))
def test_every_column_is_exported_or_says_why_not(table, column):
    exported, reason = column.info.get("export"), column.info.get("not_exported")
    assert bool(exported) != bool(reason), (
        f"{table}.{column.name}: give it info=exported(name) for a person's export, or "
        "info=not_exported(why) (app/models/types.py)"
    )


def _names_in(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {f"{key}.{inner}" for key, value in data.items()
                            if isinstance(value, dict) for inner in value}
    return set()


def test_the_export_holds_every_exported_column(desk):
    person_everywhere(desk)
    exported = post_form(desk, "/admin/privacy/", "/admin/privacy/export.json", email=EMAIL)
    data = json.loads(exported.text)
    (enquiry,) = data["enquiries"]
    records = {
        "enquiry": enquiry,
        "enquiry_reply": enquiry["replies"][0],
        "enrolment": enquiry["programme"],
        "checkin": enquiry["programme"]["check_ins"][0],
        "appointment": data["appointments"][0],
        "outbox_message": data["emails"][0],
    }
    for table, column in _columns():
        name = column.info.get("export")
        if name:
            assert name in _names_in(records[table]), f"{table}.{column.name} as {name}"
    assert "email_confirmed_at" in enquiry


# Keys the export writes itself beside a record's columns (app/privacy/export.py).
WRITTEN_BY_THE_EXPORT = {"replies", "programme", "check_ins"}


@pytest.mark.parametrize("table", _person_tables(), ids=lambda table: table.name)
def test_no_two_columns_share_an_export_name_unless_one_joins_the_other(table):
    seen = set()
    for column in table.columns:
        name = column.info.get("export")
        if name is None:
            continue
        if column.info.get("export_joins"):
            assert name in seen, f"{table.name}.{column.name} joins {name!r}, which comes before it"
            continue
        where = f"{table.name}.{column.name}: {name!r}"
        assert name not in seen, f"{where} is another column's"
        assert name not in WRITTEN_BY_THE_EXPORT, f"{where} is a key the export writes itself"
        seen.add(name)
