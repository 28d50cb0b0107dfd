"""A member of staff who can sign in to the desk at /admin, and their desk sessions."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

from .types import UTCDateTime


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive in effect.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # The account `make run` makes, whose password is printed for anyone to read: it signs in
    # only where DEMO_ACCOUNTS_ALLOWED (local development), never on a server.
    demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised whenever every session of the account ends, so that a sign-in halfway through
    # (password checked, code from the app not yet typed) ends with them.
    session_version: Mapped[int] = mapped_column(default=1)

    # The optional second factor: a TOTP secret (RFC 6238), set only once a first code from
    # the authenticator app has confirmed it.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last 30-second step a code was accepted for, so a code seen over a shoulder (or
    # replayed) cannot be used a second time.
    totp_last_step: Mapped[int | None]
    # Hashes of the one-time recovery codes still unused; each is removed when used.
    recovery_code_hashes: Mapped[list[str]] = mapped_column(JSON, default=list)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_active(self) -> bool:
        return self.active

    # The id of the desk session this request runs in, set when it is started or resumed
    # (app/auth/sessions.py); never stored on the account.
    desk_session_token = None

    def get_id(self) -> str | None:
        # Flask-Login keeps this in the signed session cookie: the id of one desk session,
        # not of the account, so that ending that session refuses every copy of the cookie.
        return self.desk_session_token


class DeskSession(db.Model):
    """One browser signed in to the desk, from signing in until it ends.

    The browser's cookie holds a random id; only its SHA-256 is kept here, so a copy of the
    database opens no desk.
    """

    __tablename__ = "desk_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Written at most once a minute (see sessions.TOUCH_EVERY), not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
