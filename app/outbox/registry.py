"""Per-message context builders, run when a message is rendered for sending.

A part of the clinic registers one for each message whose content must be read as it is at
send time (for example the enquiry a notification describes). A builder returns the template
context, or None when the thing the message is about no longer exists; the message is then
cancelled rather than sent.

The worker renders a few messages in one transaction, and first loads the enquiries they are
about in one query (`preload`). A builder that finds a record with `db.session.get()`, or
through a relationship such as `enrolment.enquiry`, then finds it in the session instead of
asking the database again; one that runs a query of its own still gets the same answer.
"""

from collections.abc import Callable

from sqlalchemy import select

from app.extensions import db
from app.models import Enquiry, OutboxMessage

ContextBuilder = Callable[[OutboxMessage], dict | None]
_builders: dict[str, ContextBuilder] = {}


def context_builder(template: str) -> Callable[[ContextBuilder], ContextBuilder]:
    def register(fn: ContextBuilder) -> ContextBuilder:
        _builders[template] = fn
        return fn

    return register


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
    builder = _builders.get(message.template)
    extra = builder(message) if builder else {}
    if extra is None:
        return None
    return {**(message.context or {}), **extra}
