"""The osteopath's diary on their phone: a private address a calendar app subscribes to.

Calendar apps cannot sign in, so the address itself is the key: a long random secret that can
be re-issued (the old address stops working at once) or revoked. Only its SHA-256 is stored
to find it, compared in constant time. To show the address again on the desk, the secret is
derived from a random seed kept with it and the app's SECRET_KEY (HMAC-SHA256): the database
alone opens no calendar, and a new SECRET_KEY makes the old address match nothing.

The calendar names each patient by first name and initial only ("Sam P."): a phone's
calendar is read on lock screens and synced to other services.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.extensions import db
from app.links import public_url
from app.models import Appointment, CalendarFeed
from app.models.booking import CONFIRMED
from app.timeutil import utcnow

from .calendar import DiaryEntry, diary_ics
from .diary import booking_settings

# Past appointments stay on the phone this long, to look back at the last few weeks.
WEEKS_BACK = 4
# Far longer than any secret issued here; anything longer is refused before hashing.
LONGEST_SECRET = 100


def _derive(seed: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"calendar-feed:{seed}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def current_feed() -> CalendarFeed | None:
    return db.session.execute(select(CalendarFeed).limit(1)).scalar_one_or_none()


def feed_secret(feed: CalendarFeed) -> str | None:
    """The secret in the feed's address, or None if SECRET_KEY changed since it was issued
    (the address then opens nothing, and the desk offers a new one)."""
    secret = _derive(feed.seed)
    return secret if hmac.compare_digest(_hash(secret), feed.secret_hash) else None


def issue_feed(now: datetime | None = None) -> CalendarFeed:
    """A new private address, replacing any earlier one in the same transaction."""
    db.session.execute(delete(CalendarFeed))
    seed = secrets.token_urlsafe(32)
    feed = CalendarFeed(seed=seed, secret_hash=_hash(_derive(seed)), issued_at=now or utcnow())
    db.session.add(feed)
    db.session.commit()
    return feed


def revoke_feed() -> int | None:
    """Stop the address working; the id of the one revoked, or None if there was none."""
    feed = current_feed()
    if feed is None:
        return None
    revoked = feed.id
    db.session.delete(feed)
    db.session.commit()
    return revoked


def feed_for_secret(secret: str) -> CalendarFeed | None:
    if not secret or len(secret) > LONGEST_SECRET:
        return None
    wanted = _hash(secret)
    feed = db.session.execute(
        select(CalendarFeed).where(CalendarFeed.secret_hash == wanted)
    ).scalar_one_or_none()
    # Derived again as well: after a new SECRET_KEY the desk can no longer show the address,
    # so it must not open either.
    if feed is None or not hmac.compare_digest(_derive(feed.seed), secret):
        return None
    return feed


def first_name_and_initial(name: str) -> str:
    """"Sam Patel" as "Sam P."; a single name as it is."""
    words = name.split()
    if not words:
        return "Patient"
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


def diary_appointments(now: datetime) -> list[Appointment]:
    """Confirmed appointments from WEEKS_BACK ago onwards, in time order. Nothing confirmed
    lies beyond the booking horizon unless the horizon was shortened since, and those still
    belong on the phone."""
    return list(db.session.execute(
        select(Appointment)
        .where(Appointment.status == CONFIRMED,
               Appointment.starts_at >= now - timedelta(weeks=WEEKS_BACK))
        .order_by(Appointment.starts_at)
    ).scalars())


def diary_calendar(now: datetime | None = None) -> bytes:
    """The subscription's VCALENDAR. Each event's UID is the patient's invitation UID with a
    prefix of its own: the same appointment, but a different calendar entry, so a calendar
    that also holds a copy of the invitation (forwarded, or the clinic's own address as
    organiser) keeps the two apart instead of letting one replace the other."""
    config = current_app.config
    address = booking_settings().clinic_address
    entries = [
        DiaryEntry(
            uid=f"desk-{appointment.ics_uid}", sequence=appointment.sequence,
            start=appointment.starts_at, end=appointment.ends_at,
            changed=appointment.updated_at,
            summary=first_name_and_initial(appointment.patient_name),
            desk_url=public_url("desk_bookings.appointment", appointment_id=appointment.id),
            location=address,
        )
        for appointment in diary_appointments(now or utcnow())
    ]
    return diary_ics(entries, f"{config['CLINIC_NAME']} diary", config["CLINIC_NAME"])
