from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from app.bookings.calendar import Invitation, Method, content_type, invitation_ics

from ..support.clock import AN_ORDINARY_MORNING

LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def invitation(**changes) -> Invitation:
    fields = {
        "uid": "appointment-42@clinic.example",
        "sequence": 0,
        # Monday 29 March 2027, the day after the clocks go forward: 09:00 BST.
        "start": datetime(2027, 3, 29, 8, 0, tzinfo=UTC),
        "end": datetime(2027, 3, 29, 8, 45, tzinfo=UTC),
        "patient_name": 'Zoë O\'Brien, Jr.; "Zo"',
        "patient_email": "zoe@example.org",
        "clinic_name": "Back & Hip Osteopathy, Leeds",
        "clinic_email": "desk@clinic.example",
        "clinic_address": "1 Park Row, Leeds; LS1 5AB",
        "summary": "Osteopathy appointment, 45 minutes",
        "description": "Please wear loose clothing; arrive 5 minutes early.\nThank you.",
    }
    fields.update(changes)
    return Invitation(**fields)


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.events
    return calendar, event


@pytest.mark.parametrize(
    ("start_utc", "local_wall"),
    [
        (datetime(2027, 3, 29, 8, 0, tzinfo=UTC), datetime(2027, 3, 29, 9, 0)),
        (datetime(2027, 11, 1, 9, 0, tzinfo=UTC), datetime(2027, 11, 1, 9, 0)),
        (datetime(2027, 1, 11, 14, 0, tzinfo=UTC), datetime(2027, 1, 11, 14, 0)),
    ],
)
def test_start_is_written_in_london_with_its_timezone(start_utc, local_wall):
    data = invitation_ics(
        invitation(start=start_utc, end=start_utc + timedelta(minutes=45)), LONDON, stamp=STAMP
    )
    stamp = local_wall.strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Europe/London:{stamp}".encode() in data
    calendar, event = parse(data)
    assert event.start.replace(tzinfo=None) == local_wall
    assert event.start.tzinfo.key == "Europe/London"
    assert event.start == start_utc
    assert event.end - event.start == timedelta(minutes=45)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    assert calendar.get_missing_tzids() == set()


@pytest.mark.parametrize("method", [Method.REQUEST, Method.CANCEL])
@pytest.mark.parametrize("start_utc", [
    datetime(2027, 3, 26, 9, 0, tzinfo=UTC),   # Friday before the clocks go forward, GMT
    datetime(2027, 3, 29, 8, 0, tzinfo=UTC),   # Monday after, BST
    datetime(2027, 10, 29, 8, 0, tzinfo=UTC),  # Friday before they go back, BST
    datetime(2027, 11, 1, 9, 0, tzinfo=UTC),   # Monday after, GMT
])
def test_a_second_parser_reads_the_same_invitation(start_utc, method):
    # vobject shares no code with icalendar: both must read 09:00 London, the same instant.
    data = invitation_ics(
        invitation(start=start_utc, end=start_utc + timedelta(minutes=45)), LONDON, method,
        stamp=STAMP,
    )
    _, event = parse(data)
    other = vobject.readOne(data.decode()).vevent
    assert other.dtstart.value == event.start == start_utc
    assert other.dtend.value - other.dtstart.value == timedelta(minutes=45)
    assert other.dtstart.value.astimezone(LONDON).hour == 9
    assert other.uid.value == str(event["UID"])
    assert int(other.sequence.value) == event["SEQUENCE"]


def test_request_carries_every_property():
    data = invitation_ics(invitation(), LONDON, stamp=STAMP)
    calendar, event = parse(data)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Back & Hip Osteopathy, Leeds//The Clinic Desk//EN"
    assert event["UID"] == "appointment-42@clinic.example"
    assert event["SEQUENCE"] == 0
    assert event.DTSTAMP == STAMP
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "Osteopathy appointment, 45 minutes"
    assert event["LOCATION"] == "1 Park Row, Leeds; LS1 5AB"
    assert event["DESCRIPTION"] == (
        "Please wear loose clothing; arrive 5 minutes early.\nThank you."
    )
    assert event["ORGANIZER"] == "mailto:desk@clinic.example"
    assert event["ORGANIZER"].params["CN"] == "Back & Hip Osteopathy, Leeds"
    (attendee,) = event.attendees
    assert attendee == "mailto:zoe@example.org"
    assert attendee.params["CN"] == 'Zoë O\'Brien, Jr.; "Zo"'
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"


def test_text_is_escaped_and_utf8():
    data = invitation_ics(invitation(), LONDON, stamp=STAMP)
    text = data.decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    assert "LOCATION:1 Park Row\\, Leeds\\; LS1 5AB" in unfolded
    assert "SUMMARY:Osteopathy appointment\\, 45 minutes" in unfolded
    assert "early.\\nThank you." in unfolded
    # A double quote cannot appear in a parameter: RFC 6868 writes it as ^'.
    assert "CN=\"Zoë O'Brien, Jr.; ^'Zo^'\"" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_reschedule_keeps_the_uid_with_a_higher_sequence():
    first = parse(invitation_ics(invitation(), LONDON, stamp=STAMP))[1]
    later = datetime(2027, 4, 5, 13, 0, tzinfo=UTC)
    moved = invitation(sequence=1, start=later, end=later + timedelta(minutes=45))
    calendar, event = parse(invitation_ics(moved, LONDON, stamp=STAMP + timedelta(days=1)))
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == first["UID"] == "appointment-42@clinic.example"
    assert event["SEQUENCE"] > first["SEQUENCE"]
    assert event["SEQUENCE"] == 1
    assert event.start.replace(tzinfo=None) == datetime(2027, 4, 5, 14, 0)


def test_cancel_has_method_cancel_and_status_cancelled():
    data = invitation_ics(invitation(sequence=2), LONDON, Method.CANCEL, stamp=STAMP)
    calendar, event = parse(data)
    assert b"METHOD:CANCEL\r\n" in data
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == "appointment-42@clinic.example"
    assert event["SEQUENCE"] == 2
    assert event.attendees[0].params["RSVP"] == "FALSE"


def test_server_zone_does_not_matter():
    # tests/conftest.py runs the suite with TZ=America/New_York; an aware non-UTC start too.
    start = datetime(2027, 3, 29, 4, 0, tzinfo=ZoneInfo("America/New_York"))
    data = invitation_ics(
        invitation(start=start, end=start + timedelta(minutes=45)), LONDON, stamp=STAMP
    )
    assert b"DTSTART;TZID=Europe/London:20270329T090000" in data
    assert b"DTEND;TZID=Europe/London:20270329T094500" in data


@pytest.mark.time_machine(AN_ORDINARY_MORNING, tick=False)
def test_stamp_defaults_to_now_in_utc():
    event = parse(invitation_ics(invitation(), LONDON))[1]
    assert event.DTSTAMP == AN_ORDINARY_MORNING
    assert event.DTSTAMP.tzinfo is not None and event.DTSTAMP.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (Method.REQUEST, 'text/calendar; charset="utf-8"; method=REQUEST'),
        (Method.CANCEL, 'text/calendar; charset="utf-8"; method=CANCEL'),
        ("CANCEL", 'text/calendar; charset="utf-8"; method=CANCEL'),
    ],
)
def test_content_type(method, expected):
    assert content_type(method) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"uid": " "},
        {"sequence": -1},
        {"start": datetime(2027, 3, 29, 9, 0)},
        {"end": datetime(2027, 3, 29, 7, 0, tzinfo=UTC)},
    ],
)
def test_invalid_invitations_are_refused(changes):
    with pytest.raises(ValueError):
        invitation(**changes)
