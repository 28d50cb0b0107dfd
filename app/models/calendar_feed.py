"""The private address of the clinic's diary as a calendar subscription (app/bookings/feed.py).

At most one row: issuing a new address replaces it, revoking deletes it. The row holds a
random seed from which, with the app's SECRET_KEY, the address's secret is derived again to
show it on the desk, and a SHA-256 of that secret to find it; never the secret itself, so
the database alone opens no calendar.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

from .types import UTCDateTime


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    seed: Mapped[str] = mapped_column(String(64))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
