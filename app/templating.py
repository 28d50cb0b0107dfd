"""Filters and values every template may use."""

import re
from datetime import datetime

from markupsafe import Markup, escape

from .timeutil import format_clinic_time

_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs(text: str | None) -> Markup:
    """Plain text from the database as HTML paragraphs; everything in it is escaped."""
    if not text:
        return Markup("")
    blocks = [block.strip() for block in _BLANK_LINE.split(text.strip()) if block.strip()]
    return Markup("\n").join(Markup("<p>%s</p>") % escape(block) for block in blocks)


def iso_clinic_time(value: str | None) -> str:
    """An ISO time from an export, shown on the clinic's clock as every other page shows it."""
    if not value:
        return ""
    try:
        return format_clinic_time(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return value


def as_answer(value) -> str:
    """A stored answer as a person reads it: yes or no, a list joined, a time on the clinic's
    clock; never Python's spelling of the value (True, ['a'], 2027-01-12 10:00:00+00:00)."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple | set):
        return ", ".join(str(item) for item in value) or "None"
    if isinstance(value, datetime):
        return format_clinic_time(value)
    return str(value)
