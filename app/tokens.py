"""Signed links for emails. A token proves only what it names: one purpose, one record.

The purpose is the signing salt, so a token made for one purpose fails for every other; the
record's id travels inside the signature, so it cannot be changed to another patient's.
"""

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenInvalid(Exception):
    """The link was altered, made for something else, or is not a link of ours."""


class TokenExpired(TokenInvalid):
    """The link was real but is too old."""


@dataclass(frozen=True)
class Claims:
    record_id: int
    extra: dict


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"clinic-desk:{purpose}")


def make_token(purpose: str, record_id: int, **extra) -> str:
    return _serializer(purpose).dumps({"id": record_id, **extra})


def read_token(purpose: str, token: str, max_age_seconds: int) -> Claims:
    if not token or len(token) > 500:
        raise TokenInvalid()
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise TokenExpired() from None
    except BadSignature:
        raise TokenInvalid() from None
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        raise TokenInvalid()
    record_id = payload.pop("id")
    return Claims(record_id, payload)
