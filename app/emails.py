"""Every email the clinic sends, registered with what it is rendered from, in one place.

A new email is a template pair in templates/email/, a function that enqueues it, and a line
in its part's BUILDERS table; the table is registered here.
"""

from flask import Flask

from app.bookings import emails as bookings
from app.desk.enquiries import emails as desk_replies
from app.enquiries import emails as enquiries
from app.outbox import registry
from app.programme import emails as programme

PARTS = (enquiries, desk_replies, bookings, programme)


def register_all(app: Flask) -> None:
    for part in PARTS:
        registry.register(app, part.BUILDERS)
