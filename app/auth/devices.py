"""Device cookies, so that guessing passwords elsewhere never locks the osteopath out.

OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser that signs in gets
a signed cookie naming the account and a random device id. A sign-in try that carries a valid
one for the account it names is counted for that browser alone, and is exempt from the counts
by address and by account, which stop every other browser once guessing reaches the limit. A
device cookie that keeps failing is locked out itself. A forged or expired cookie, or one for
another account, counts for nothing: the browser is treated as unknown.
"""

import secrets
from collections.abc import Callable

from flask import current_app, g, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.extensions import limiter
from app.models import StaffUser

COOKIE = "desk_device"
SALT = "desk-device"
KNOWN_DEVICE = "known_device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _lifetime_seconds() -> int:
    return current_app.config["DEVICE_COOKIE_DAYS"] * 24 * 3600


def remember_device(response, user: StaffUser) -> None:
    """Give this browser a new device cookie for `user`, after a successful sign-in."""
    value = _serializer().dumps({"account": user.email, "device": secrets.token_urlsafe(16)})
    response.set_cookie(
        COOKIE, value, max_age=_lifetime_seconds(),
        # Sent to the sign-in pages only, and never with a request from another site.
        path=url_for("auth.sign_in"), httponly=True, samesite="Strict",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


def known_device(email: str | None) -> str | None:
    """This browser's device id if it holds a valid device cookie for the account `email`."""
    raw = request.cookies.get(COOKIE)
    if not raw or not email:
        return None
    try:
        payload = _serializer().loads(raw, max_age=_lifetime_seconds())
    except BadSignature:  # forged, altered, signed with another key, or expired
        return None
    if not isinstance(payload, dict) or payload.get("account") != email.strip().lower():
        return None
    device = payload.get("device")
    return device if isinstance(device, str) and device else None


def failed(response) -> bool:
    # Every step ends in a 303 when it succeeds; only failures use up tries.
    return response.status_code != 303


def limit_tries(limit: Callable[[], str], account_key: Callable[[], str],
                account_email: Callable[[], str | None], step: str):
    """The limits of one step of signing in, on POSTs, counting failures only.

    An unknown browser is counted by its address and by the account it tries
    (`account_key`); a browser with a device cookie for the account (`account_email`) only
    under its own device id.
    """

    def device() -> str | None:
        if KNOWN_DEVICE not in g:
            g.known_device = known_device(account_email())
        return g.known_device

    def known() -> bool:
        return device() is not None

    def unknown() -> bool:
        return device() is None

    def device_key() -> str:
        return f"{step}-device:{device()}"

    def decorate(view):
        for key_func, exempt_when in ((None, known), (account_key, known),
                                      (device_key, unknown)):
            view = limiter.limit(limit, methods=["POST"], key_func=key_func,
                                 exempt_when=exempt_when, deduct_when=failed)(view)
        return view

    return decorate
