"""RFC 5545 invitations for one appointment, to attach to the booking emails, and the
osteopath's diary as one calendar to subscribe to.

A calendar program matches messages to one event by UID and keeps the one with the highest
SEQUENCE, so the caller keeps the UID of an appointment for ever and raises SEQUENCE on every
reschedule or cancellation. Times are written in the clinic's zone with a VTIMEZONE, so the
patient's calendar shows 09:00 London whatever zone the server or the patient is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vDuration
from icalendar.enums import PARTSTAT, ROLE, STATUS

PRODUCT = "The Clinic Desk"


class Method(StrEnum):
    """The iTIP method (RFC 5546): REQUEST for a new or moved appointment, CANCEL to remove it."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Invitation:
    """One appointment as the patient's calendar should see it; start and end are aware."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    patient_name: str
    patient_email: str
    clinic_name: str
    clinic_email: str
    clinic_address: str
    summary: str
    description: str = ""

    def __post_init__(self) -> None:
        if not self.uid.strip():
            raise ValueError("an invitation needs a stable UID")
        if self.sequence < 0:
            raise ValueError("SEQUENCE starts at 0")
        for moment in (self.start, self.end):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError("invitation times must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("an appointment must end after it starts")


def content_type(method: Method) -> str:
    """The MIME type for the attachment; mail clients look for `method` to offer buttons."""
    return f'text/calendar; charset="utf-8"; method={Method(method).value}'


def invitation_ics(
    invitation: Invitation,
    zone: ZoneInfo,
    method: Method = Method.REQUEST,
    *,
    stamp: datetime | None = None,
) -> bytes:
    """The VCALENDAR for `invitation` as UTF-8 bytes (see `content_type` for its MIME type).

    `stamp` is the DTSTAMP, the moment this message is made; it defaults to now.
    """
    method = Method(method)
    stamp = datetime.now(UTC) if stamp is None else stamp.astimezone(UTC)
    start = invitation.start.astimezone(zone)
    end = invitation.end.astimezone(zone)
    organizer = vCalAddress.new(invitation.clinic_email, cn=invitation.clinic_name)
    attendee = vCalAddress.new(
        invitation.patient_email,
        cn=invitation.patient_name,
        role=ROLE.REQ_PARTICIPANT,
        partstat=PARTSTAT.NEEDS_ACTION,
        # A cancellation expects no reply.
        rsvp=method is Method.REQUEST,
    )
    event = Event.new(
        uid=invitation.uid,
        sequence=invitation.sequence,
        stamp=stamp,
        start=start,
        end=end,
        summary=invitation.summary,
        description=invitation.description or None,
        location=invitation.clinic_address,
        organizer=organizer,
        attendees=[attendee],
        status=STATUS.CONFIRMED if method is Method.REQUEST else STATUS.CANCELLED,
    )
    # Calendar.new would add a random calendar UID; the event's UID is the one that matters.
    calendar = Calendar()
    calendar.add("prodid", f"-//{invitation.clinic_name}//{PRODUCT}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method.value)
    calendar.add_component(event)
    # A VTIMEZONE covering 1970-2038 is long; the years around the appointment are enough.
    calendar.add_missing_timezones(
        first_date=date(start.year - 1, 1, 1), last_date=date(end.year + 2, 1, 1)
    )
    return calendar.to_ical()


@dataclass(frozen=True)
class DiaryEntry:
    """One confirmed appointment as the osteopath's own calendar shows it; `changed` is when
    it last changed, which the subscribing calendar compares with what it has."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    changed: datetime
    summary: str
    desk_url: str
    location: str = ""


# How often a subscribing calendar is asked to look again; most take it as a hint only.
REFRESH = timedelta(minutes=15)


def diary_ics(entries: list[DiaryEntry], calendar_name: str, clinic_name: str) -> bytes:
    """A VCALENDAR of `entries` for subscription: no METHOD (nothing to answer), times in UTC,
    which every calendar shows in its own zone without needing a VTIMEZONE."""
    # Calendar.new would add a random calendar UID, a different one on every fetch.
    calendar = Calendar()
    calendar.add("prodid", f"-//{clinic_name}//{PRODUCT}//EN")
    calendar.add("version", "2.0")
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    # RFC 7986 asks for VALUE=DURATION; Outlook and Apple read the older X-PUBLISHED-TTL.
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for entry in entries:
        changed = entry.changed.astimezone(UTC)
        calendar.add_component(Event.new(
            uid=entry.uid, sequence=entry.sequence, stamp=changed, last_modified=changed,
            start=entry.start.astimezone(UTC), end=entry.end.astimezone(UTC),
            summary=entry.summary, description=f"Open on the desk: {entry.desk_url}",
            url=entry.desk_url, location=entry.location or None, status=STATUS.CONFIRMED,
        ))
    return calendar.to_ical()
