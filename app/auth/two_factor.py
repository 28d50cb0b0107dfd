"""The optional second factor: codes from an authenticator app (TOTP, RFC 6238), with
one-time recovery codes for a lost phone."""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import StaffUser
from app.timeutil import utcnow

from .sessions import end_every_session

RECOVERY_CODE_COUNT = 10
# One step either side: a phone clock a little fast or slow still works.
VALID_WINDOW = 1
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"]
    )


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG markup: no script, no image request, no inline style."""
    return segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your app")


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The 30-second step the code belongs to, within the allowed window; None if no match."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // STEP_SECONDS)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _hash_recovery(code: str) -> str:
    # Recovery codes are random (50 bits), so a keyed fast hash is enough; a slow password
    # hash would make every check of ten stored codes take seconds.
    key = current_app.secret_key.encode()
    return hmac.new(key, _normalise(code).encode(), hashlib.sha256).hexdigest()


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def enable(user: StaffUser, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on if the first code from the app matches; returns the
    recovery codes to show once, or None when the code was wrong. Every session of the
    account ends: each must now sign in with a code."""
    step = matching_step(secret, code)
    if step is None:
        return None
    codes = new_recovery_codes()
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    user.recovery_code_hashes = [_hash_recovery(c) for c in codes]
    end_every_session(user.id)
    db.session.commit()
    return codes


def check_code(user: StaffUser, code: str) -> bool:
    """An app code not used before, or an unused recovery code (which is then used up)."""
    if not user.has_two_factor:
        return False
    # Read the account again under a row lock (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    # serialises), so two requests sending the same code at once cannot both be let in.
    user = db.session.execute(
        select(StaffUser)
        .where(StaffUser.id == user.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    step = matching_step(user.totp_secret, code)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # the same code (or an older one) again: a replay
        user.totp_last_step = step
        db.session.commit()
        return True
    hashed = _hash_recovery(code)
    remaining = list(user.recovery_code_hashes or [])
    for stored in remaining:
        if hmac.compare_digest(stored, hashed):
            remaining.remove(stored)
            user.recovery_code_hashes = remaining
            db.session.commit()
            return True
    return False


def disable(user: StaffUser) -> None:
    """Turn the second factor off; every session of the account ends."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_code_hashes = []
    end_every_session(user.id)
    db.session.commit()
