"""Staff accounts: creating them, checking passwords, and ending sessions."""

from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import StaffUser

from .sessions import end_every_session, may_sign_in

# Hashing time grows with the length; no passphrase a person types needs more.
MAX_PASSWORD_LENGTH = 256


class AccountError(ValueError):
    """A staff account could not be created or changed; the message says why."""


def normalise_email(text: str) -> str:
    try:
        checked = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(f"{text!r} is not an email address: {error}") from None
    return checked.normalized.lower()


def check_new_password(password: str) -> None:
    minimum = current_app.config["STAFF_PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise AccountError(f"The password must be at least {minimum} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")


def hash_password(password: str) -> str:
    return generate_password_hash(
        password, method=current_app.config["STAFF_PASSWORD_HASH_METHOD"]
    )


def find_staff(email: str) -> StaffUser | None:
    return db.session.execute(
        select(StaffUser).where(StaffUser.email == email.strip().lower())
    ).scalar_one_or_none()


def create_staff(email: str, password: str, demo: bool = False) -> StaffUser:
    email = normalise_email(email)
    check_new_password(password)
    if find_staff(email) is not None:
        raise AccountError(f"There is already an account for {email}.")
    user = StaffUser(email=email, password_hash=hash_password(password), active=True,
                     demo=demo)
    try:
        db.session.add(user)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(f"There is already an account for {email}.") from None
    return user


def set_password(email: str, password: str) -> StaffUser:
    """Give an account a new password; every session signed in with the old one ends."""
    check_new_password(password)
    user = find_staff(email)
    if user is None:
        raise AccountError(f"There is no account for {email.strip().lower()}.")
    user.password_hash = hash_password(password)
    user.active = True
    end_every_session(user.id)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> StaffUser | None:
    user = find_staff(email)
    if user is None or not may_sign_in(user):
        # The same work as a real check, so the answer's timing does not tell which
        # addresses have accounts.
        check_password_hash(_stand_in_hash(current_app.config["STAFF_PASSWORD_HASH_METHOD"]),
                            password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


@lru_cache(maxsize=4)
def _stand_in_hash(method: str) -> str:
    return generate_password_hash("no account has this password", method=method)


def sign_out_everywhere(user_id: int) -> None:
    end_every_session(user_id)
    db.session.commit()
