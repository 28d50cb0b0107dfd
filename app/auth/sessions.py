"""Desk sessions kept on the server, so that signing out ends a session for good.

The signed session cookie holds only the id of a `DeskSession` row. Every desk request reads
that row once (with its account) in Flask-Login's user loader; a session that was signed out,
ended everywhere, left idle or kept too long is refused, so a copy of the cookie taken before
opens nothing afterwards.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, g, redirect, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, or_, select, update

from app.extensions import db, login
from app.models import DeskSession, StaffUser
from app.timeutil import utcnow

from .devices import remember_device

# Last-seen is written at most this often, so a busy desk costs one read a request, no write.
TOUCH_EVERY = timedelta(minutes=1)
# Why the session in this request's cookie has just lapsed, for the page that says so.
LAPSED = "desk_session_lapsed"
IDLE = "idle"
TOO_LONG = "too_long"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_after() -> timedelta:
    return timedelta(minutes=current_app.config["DESK_IDLE_MINUTES"])


def _longest() -> timedelta:
    return timedelta(hours=current_app.config["DESK_SESSION_MAX_HOURS"])


def may_sign_in(user: StaffUser) -> bool:
    """Active, and not a demo account outside local development."""
    return user.active and (not user.demo or current_app.config["DEMO_ACCOUNTS_ALLOWED"])


def sign_in(user: StaffUser, now: datetime | None = None) -> None:
    """Sign this browser in as `user`, in a new desk session; nothing of the old one stays."""
    now = now or utcnow()
    session.clear()
    token = secrets.token_urlsafe(32)
    # The account's sessions that can never open the desk again go as a new one starts.
    db.session.execute(
        delete(DeskSession).where(
            DeskSession.staff_id == user.id,
            or_(DeskSession.ended_at.is_not(None),
                DeskSession.last_seen_at < now - _idle_after(),
                DeskSession.created_at < now - _longest()),
        )
    )
    db.session.add(DeskSession(token_hash=_digest(token), staff_id=user.id, created_at=now,
                               last_seen_at=now))
    user.last_sign_in_at = now
    user.desk_session_token = token
    login_user(user)
    db.session.commit()


def open_desk(user: StaffUser, target: str):
    """The answer to a successful sign-in: this browser signed in, and known from now on."""
    response = redirect(target, code=303)
    # Before signing in, whose commit expires the account: reading it again would only
    # start another transaction.
    remember_device(response, user)
    sign_in(user)
    return response


def sign_out() -> None:
    """End this browser's desk session (if it has one) and forget everything in its cookie."""
    token = getattr(current_user, "desk_session_token", None)
    if token:
        db.session.execute(
            update(DeskSession)
            .where(DeskSession.token_hash == _digest(token), DeskSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.session.commit()
    logout_user()
    session.clear()


def end_every_session(user_id: int) -> None:
    """End every desk session of the account, and any sign-in halfway through; in the
    caller's transaction."""
    db.session.execute(
        update(DeskSession)
        .where(DeskSession.staff_id == user_id, DeskSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(session_version=StaffUser.session_version + 1)
    )


def resume(token: str, now: datetime | None = None) -> StaffUser | None:
    """The account signed in by the desk session `token` names, or None if there is none.

    A session unused for DESK_IDLE_MINUTES, or older than DESK_SESSION_MAX_HOURS, ends here,
    and g[LAPSED] says which, for the page that tells the osteopath.
    """
    now = now or utcnow()
    found = db.session.execute(
        select(DeskSession, StaffUser)
        .join(StaffUser, StaffUser.id == DeskSession.staff_id)
        .where(DeskSession.token_hash == _digest(token))
    ).one_or_none()
    if found is None:
        return None
    desk_session, user = found
    if desk_session.ended_at is not None or not may_sign_in(user):
        return None
    lapsed = (IDLE if now - desk_session.last_seen_at > _idle_after()
              else TOO_LONG if now - desk_session.created_at > _longest() else None)
    if lapsed:
        desk_session.ended_at = now
        db.session.commit()
        g.setdefault(LAPSED, lapsed)
        return None
    if now - desk_session.last_seen_at >= TOUCH_EVERY:
        desk_session.last_seen_at = now
        db.session.commit()
    user.desk_session_token = token
    return user


@login.user_loader
def load_staff(token: str) -> StaffUser | None:
    return resume(token)
