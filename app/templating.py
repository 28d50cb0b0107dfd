"""Filters and values every template may use."""

import re

from markupsafe import Markup, escape

_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs(text: str | None) -> Markup:
    """Plain text from the database as HTML paragraphs; everything in it is escaped."""
    if not text:
        return Markup("")
    blocks = [block.strip() for block in _BLANK_LINE.split(text.strip()) if block.strip()]
    return Markup("\n").join(Markup("<p>%s</p>") % escape(block) for block in blocks)
