"""A patient asks for an appointment: for a free slot, or at times they describe in words.

Anyone may ask, from any address, so a request that holds a slot replaces any slot still held
for the same email address or the same client (network address): one person holds one slot
at a time. The client is kept only as a keyed hash, and only while its request holds a slot:
each request made on /book drops the hashes of holds that have ended.
"""

import hashlib
import hmac
import ipaddress
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Appointment
from app.models.booking import REQUESTED
from app.submission import first_saved, record_from
from app.timeutil import as_utc, utcnow

from . import emails
from .availability import is_free, lock_the_diary, read_diary
from .errors import BookingError, SlotUnavailable
from .links import iso_utc

MAX_PREFERRED_TIMES = 3


class BookingRequest:
    """What the patient gave on /book. `answers` are kept as given, each under the name of the
    `Appointment` column it fills (see `BookingForm.answers_for`), so a new question needs no
    change here. The rest is checked first: `start` is a slot's aware start, or None;
    `preferred_times` are tidied; `client_address`, the network address the request came
    from, is never stored."""

    def __init__(self, *, start: datetime | None = None, preferred_times=(),
                 consent_contact: bool = False, client_address: str | None = None,
                 **answers) -> None:
        self.start = start
        self.preferred_times = list(preferred_times)
        self.consent_contact = consent_contact
        self.client_address = client_address
        self.answers = answers

    @property
    def email(self) -> str:
        return self.answers["email"]


@dataclass(frozen=True)
class BookingReceipt:
    """What the thank-you page says about a saved request, read before the commit (so saying
    thank you costs no query) or from the request a form sent again had made."""

    starts_at: str | None
    held_until: str | None
    hold_hours: int
    preferred_times: list[str]

    @classmethod
    def of(cls, appointment: Appointment) -> "BookingReceipt":
        held = appointment.hold_until
        hours = (held - appointment.created_at) / timedelta(hours=1) if held else 0
        return cls(
            starts_at=iso_utc(appointment.starts_at) if appointment.starts_at else None,
            held_until=iso_utc(held) if held else None,
            hold_hours=max(round(hours), 0),
            preferred_times=list(appointment.preferred_times),
        )


def new_ics_uid() -> str:
    """A UID no other event anywhere will have; kept by the appointment for ever."""
    return f"{uuid.uuid4()}@{current_app.config['MAIL_MESSAGE_ID_DOMAIN']}"


def client_hash(address: str) -> str:
    """A keyed hash (HMAC-SHA256 with the app's secret) of the client's network: the same
    client always gives the same value, which says nothing of the address to anyone without
    the secret. An IPv6 client is taken by its /64, which one household or phone holds."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        mapped = getattr(ip, "ipv4_mapped", None)
        if mapped is not None:
            network = str(mapped)
        elif ip.version == 6:
            network = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        else:
            network = str(ip)
    key = current_app.secret_key.encode()
    return hmac.new(key, f"booking-client:{network}".encode(), hashlib.sha256).hexdigest()


def request_appointment(request: BookingRequest, now: datetime | None = None) -> Appointment:
    """Save a request with its emails, in one transaction, and return it.

    With a `start`, the slot must still be free when checked under the diary lock; the request
    then holds it from other patients for the settings' hold time, and any slot held for the
    same email address or client is released (that request stays, for the osteopath to
    answer). Without one, up to three preferred times are kept for the osteopath to read.
    The same form sent again (its `submission_key`) returns the request it made the first
    time. Raises SlotUnavailable when the slot has gone or is not one offered, BookingError
    when neither a slot nor a time was given or the patient has not agreed to be contacted.
    """
    return _save(request, now)[0]


def receive_request(request: BookingRequest, now: datetime | None = None) -> BookingReceipt:
    """Save a request sent from /book (see `request_appointment`); returns what to tell them."""
    return _save(request, now)[1]


def _save(request: BookingRequest, now: datetime | None
          ) -> tuple[Appointment, BookingReceipt]:
    now = now or utcnow()
    if not request.consent_contact:
        raise BookingError("We need your agreement to contact you about this appointment.")
    preferred = [text.strip() for text in request.preferred_times if text and text.strip()]
    if request.start is None and not preferred:
        raise BookingError("Choose a time, or tell us up to three times that would suit you.")
    if len(preferred) > MAX_PREFERRED_TIMES:
        raise BookingError(f"Give at most {MAX_PREFERRED_TIMES} preferred times.")
    appointment = record_from(
        Appointment,
        request.answers,
        status=REQUESTED,
        preferred_times=preferred,
        offered_starts=[],
        ics_uid=new_ics_uid(),
        consent_version=current_app.config["CONSENT_WORDING_VERSION"],
        consent_at=now,
        sequence=0,
        created_at=now,
        updated_at=now,
    )
    try:
        if request.start is not None:
            _hold(appointment, as_utc(request.start), request, now)
        _forget_clients_without_holds(now)
        db.session.add(appointment)
        db.session.flush()  # the emails' keys need the appointment's id
        emails.request_received(appointment)
        receipt = BookingReceipt.of(appointment)
        db.session.commit()
    except (IntegrityError, SlotUnavailable) as error:
        # A form sent again fails on its key, or finds the slot its first send now holds.
        earlier = first_saved(Appointment, request.answers.get("submission_key"), error)
        return earlier, BookingReceipt.of(earlier)
    except Exception:
        db.session.rollback()
        raise
    return appointment, receipt


def _hold(appointment: Appointment, start: datetime, request: BookingRequest,
          now: datetime) -> None:
    """Under the diary lock: release this person's earlier hold, then hold `start` if free.
    The settings, hours and closures are read once, before the lock, which guards only what
    is busy."""
    diary = read_diary(now)
    lock_the_diary()
    client = client_hash(request.client_address) if request.client_address else None
    _release_holds(request.email, client, now)
    if not is_free(start, now, diary=diary):
        raise SlotUnavailable()
    appointment.starts_at = start
    appointment.ends_at = start + timedelta(minutes=diary.settings.appointment_minutes)
    appointment.hold_until = now + timedelta(hours=diary.settings.hold_hours)
    appointment.client_hash = client


def _release_holds(email: str, client: str | None, now: datetime) -> None:
    """End the holds still running for this address or client, keeping their requests."""
    same_person = func.lower(Appointment.email) == email.lower()
    if client is not None:
        same_person = or_(same_person, Appointment.client_hash == client)
    db.session.execute(
        update(Appointment)
        .where(Appointment.status == REQUESTED, Appointment.hold_until > now, same_person)
        .values(hold_until=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def _forget_clients_without_holds(now: datetime) -> None:
    """A client's hash is kept only to find its running hold: drop it from every request
    that no longer holds a slot (replaced, run out, answered or cancelled)."""
    db.session.execute(
        update(Appointment)
        .where(
            Appointment.client_hash.is_not(None),
            or_(Appointment.status != REQUESTED, Appointment.hold_until.is_(None),
                Appointment.hold_until <= now),
        )
        # Not a change to the request itself, so its time of last change stays.
        .values(client_hash=None, updated_at=Appointment.updated_at)
        .execution_options(synchronize_session=False)
    )
