"""Per-message context builders, run when a message is rendered for sending.

A part of the clinic registers one for each message whose content must be read as it is at
send time (for example the enquiry a notification describes). A builder returns the template
context, or None when the thing the message is about no longer exists; the message is then
cancelled rather than sent.
"""

from collections.abc import Callable

from app.models import OutboxMessage

ContextBuilder = Callable[[OutboxMessage], dict | None]
_builders: dict[str, ContextBuilder] = {}


def context_builder(template: str) -> Callable[[ContextBuilder], ContextBuilder]:
    def register(fn: ContextBuilder) -> ContextBuilder:
        _builders[template] = fn
        return fn

    return register


def build_context(message: OutboxMessage) -> dict | None:
    builder = _builders.get(message.template)
    extra = builder(message) if builder else {}
    if extra is None:
        return None
    return {**(message.context or {}), **extra}
