"""Every model, re-exported so Alembic and the services see one metadata."""

from .booking import Appointment, BookingSettings, Closure, OpeningPeriod
from .calendar_feed import CalendarFeed
from .content import Programme, SeriesPart
from .enquiry import URGENCY_EMERGENCY, URGENCY_NONE, URGENCY_URGENT, Enquiry
from .enquiry_reply import EnquiryReply
from .outbox import OutboxMessage
from .privacy import AuditEntry
from .programme import CheckIn, Enrolment
from .staff import DeskSession, StaffUser

__all__ = [
    "AuditEntry",
    "Appointment",
    "BookingSettings",
    "CalendarFeed",
    "Closure",
    "DeskSession",
    "OpeningPeriod",
    "CheckIn",
    "Enrolment",
    "Programme",
    "SeriesPart",
    "Enquiry",
    "EnquiryReply",
    "OutboxMessage",
    "StaffUser",
    "URGENCY_EMERGENCY",
    "URGENCY_NONE",
    "URGENCY_URGENT",
]
