"""Per-message context builders, run when a message is rendered for sending.

Each part of the clinic keeps a table of its email templates and the builder that reads what
each is about as it is at send time (for example the enquiry a notification describes);
app/emails.py registers every table on the app in one place. A builder returns the template
context, or None when the thing the message is about no longer exists; the message is then
cancelled rather than sent. A template registered with NO_BUILDER renders from the context
stored with its row alone; a template not registered at all is refused, so that a forgotten
registration fails loudly instead of sending an email with blanks in it.

The worker renders a few messages in one transaction, and first loads the enquiries they are
about in one query (`preload`). A builder that finds a record with `db.session.get()`, or
through a relationship such as `enrolment.enquiry`, then finds it in the session instead of
asking the database again; one that runs a query of its own still gets the same answer.
"""

from collections.abc import Callable, Mapping

from flask import Flask, current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Enquiry, OutboxMessage

ContextBuilder = Callable[[OutboxMessage], dict | None]
NO_BUILDER: ContextBuilder = lambda message: {}  # noqa: E731  (the row's own context is all)
_EXTENSION = "outbox.builders"


class UnregisteredEmail(LookupError):
    """An email template that no part registered a builder for."""

    def __init__(self, template: str) -> None:
        super().__init__(
            f"No context builder is registered for the email template {template!r}; "
            "add it to its part's BUILDERS table (app/emails.py registers them)"
        )
        self.template = template


def register(app: Flask, builders: Mapping[str, ContextBuilder]) -> None:
    registered = app.extensions.setdefault(_EXTENSION, {})
    twice = registered.keys() & builders.keys()
    if twice:
        raise ValueError(f"Email templates registered twice: {sorted(twice)}")
    registered.update(builders)


def require_registered(template: str) -> None:
    """Refuse, where it is enqueued, an email that could never be rendered."""
    if template not in current_app.extensions.get(_EXTENSION, {}):
        raise UnregisteredEmail(template)


def registered_templates(app: Flask) -> set[str]:
    return set(app.extensions.get(_EXTENSION, {}))


def preload(messages: list[OutboxMessage]) -> list[Enquiry]:
    """Load the enquiries these messages are about into the session, in one query.

    The session holds what it has loaded only while something else does: keep the list until
    the transaction ends. A record deleted before this runs is simply not found, as it would
    not be by the builder.
    """
    ids = {message.enquiry_id for message in messages if message.enquiry_id is not None}
    if len(ids) < 2:  # one is found as cheaply by the builder itself
        return []
    return list(db.session.execute(select(Enquiry).where(Enquiry.id.in_(ids))).scalars())


def build_context(message: OutboxMessage) -> dict | None:
    builder = current_app.extensions.get(_EXTENSION, {}).get(message.template)
    if builder is None:
        raise UnregisteredEmail(message.template)
    extra = builder(message)
    if extra is None:
        return None
    return {**(message.context or {}), **extra}
