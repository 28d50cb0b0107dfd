"""A form sent more than once is saved once.

Each public form carries a one-time key (`app.validators.SubmissionKeyField`), kept in a
unique column of the record the form makes. The save writes without looking first, so the
usual case costs no read; a second send of the same form (a double click, a resend, a second
tab) fails on that column, or on a rule the first send changed (a slot it now holds), and is
then answered with the record the first send made.
"""

import secrets

from sqlalchemy import select

from app.extensions import db

KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


def record_from(model, answers: dict, **derived):
    """A new `model` row from a form's answers, each under the name of the column it fills,
    and what the service adds. A blank optional answer is stored as none, and a missing one
    takes the column's default; an answer naming no column fails loudly."""
    columns = model.__table__.columns
    values = {}
    for name, value in answers.items():
        if value is None or (value == "" and columns[name].nullable):
            if not columns[name].nullable:
                continue
            value = None
        values[name] = list(value) if isinstance(value, list) else value
    return model(**values, **derived)


def first_saved(model, key: str | None, error: Exception):
    """After a failed save: the record this form's key made first, or `error` raised again
    when the form has made none. Rolls back the failed transaction either way."""
    db.session.rollback()
    earlier = None
    if key:
        earlier = db.session.execute(
            select(model).where(model.submission_key == key)
        ).scalar_one_or_none()
    if earlier is None:
        raise error
    return earlier
