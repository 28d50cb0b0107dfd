"""Column types and kinds of index shared by the models."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, or_
from sqlalchemy.types import TypeDecorator

from app.timeutil import as_utc


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL stores timestamptz; SQLite has no zone, so the value is written as UTC and read
    back marked as UTC. Naive datetimes are refused so that local times cannot slip in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC time is required")
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def substring_index(name: str, column: str) -> Index:
    """An index that finds text anywhere inside `column` (the desk's searches, ILIKE '%…%').

    A trigram (pg_trgm) GIN index on PostgreSQL; nothing on SQLite, which has no such index and
    reads the table instead. See migration 0009.
    """
    return Index(
        name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}
    ).ddl_if(dialect="postgresql")


def contains_text(text: str, *columns):
    """The desk's search: `text` anywhere in any of `columns`, in any case, its % and _ taken
    as typed. On PostgreSQL each column's `substring_index` serves it."""
    return or_(*(column.icontains(text, autoescape=True) for column in columns))


def built_on(dialect: str):
    """Alembic's `include_object` for a database: leaves out the indexes the models build only
    on another one (`Index.ddl_if`, as `substring_index` does), as the migrations do, so that
    comparing models with a database, or autogenerating a revision, does not ask for them."""

    def include(item, name, kind, reflected, compare_to) -> bool:
        only_on = getattr(item, "_ddl_if", None)
        return reflected or only_on is None or only_on.dialect in (None, dialect)

    return include


def one_of(column: str, values: tuple, name: str) -> CheckConstraint:
    """A check that `column` holds one of `values`, written from the same tuple the code uses,
    so that a status added in one place cannot be refused by the database."""
    listed = ", ".join(f"'{value}'" if isinstance(value, str) else str(value) for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


def exported(name: str, joins: bool = False, **info) -> dict:
    """Column info: a person's export (app/privacy/export.py) holds this column under `name`.
    A dotted name nests ("consent.given_at"). A column that `joins` adds its value to the one
    before it under the same name, as one list; otherwise a name is its column's alone."""
    return {"export": name, **({"export_joins": True} if joins else {}), **info}


def not_exported(why: str, **info) -> dict:
    """Column info: a person's export leaves this column out, for the reason given."""
    return {"not_exported": why, **info}


def labelled_columns(model) -> list[tuple[str, str]]:
    """(attribute, label) for each of `model`'s columns given a `label`, in the model's order:
    the answers a desk page lists."""
    return [
        (column.key, column.info["label"])
        for column in model.__table__.columns
        if "label" in column.info
    ]
