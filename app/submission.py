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
