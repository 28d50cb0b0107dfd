"""Every model, re-exported so Alembic and the services see one metadata."""

from .enquiry import URGENCY_EMERGENCY, URGENCY_NONE, URGENCY_URGENT, Enquiry
from .outbox import OutboxMessage

__all__ = [
    "Enquiry",
    "OutboxMessage",
    "URGENCY_EMERGENCY",
    "URGENCY_NONE",
    "URGENCY_URGENT",
]
