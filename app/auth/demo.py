"""The demo desk account of `make run`, whose password is printed for anyone to read.

It is marked as a demo account in the database and signs in only where the configuration
allows demo accounts (the development class). Elsewhere it is refused at sign-in, a session
of it is refused, and production start-up logs a CRITICAL line while one exists.
"""

from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import StaffUser

from .service import create_staff, find_staff, set_password

DEMO_EMAIL = "demo@clinic.example"
DEMO_PASSWORD = "try-the-desk-locally"
REMOVE_COMMAND = "flask --app app staff remove-demo"


def ensure_demo_account() -> StaffUser:
    """The local development account with a known password, created or reset."""
    user = find_staff(DEMO_EMAIL)
    if user is None:
        return create_staff(DEMO_EMAIL, DEMO_PASSWORD, demo=True)
    user.demo = True  # committed with the password
    return set_password(DEMO_EMAIL, DEMO_PASSWORD)


def demo_account_emails() -> list[str]:
    return list(db.session.execute(
        select(StaffUser.email).where(StaffUser.demo).order_by(StaffUser.email)
    ).scalars())


def remove_demo_accounts() -> list[str]:
    """Delete every demo account (their sessions go with them); returns their addresses."""
    emails = demo_account_emails()
    db.session.execute(delete(StaffUser).where(StaffUser.demo))
    db.session.commit()
    return emails


def warn_about_demo_accounts(app: Flask) -> None:
    """At production start-up, say loudly that a demo account is in the database."""
    if app.config["APP_ENV"] != "production":
        return
    with app.app_context():
        try:
            emails = demo_account_emails()
        except SQLAlchemyError:
            # `flask db upgrade` on a new database starts the app too, before any table.
            app.logger.warning("Could not look for demo desk accounts: the database is not "
                               "reachable or not migrated yet.")
            return
        finally:
            db.session.remove()
    if emails:
        app.logger.critical(
            "A demo desk account is in this database (%s). Its password is published; it "
            "cannot sign in outside development, but remove it: %s",
            ", ".join(emails), REMOVE_COMMAND,
        )
