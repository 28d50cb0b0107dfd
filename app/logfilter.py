"""Keeping signed links out of the logs.

An access log line such as "GET /checkin/<token>" would hand anyone who reads the log a
working link to a patient's check-in. Every signed link of ours is an itsdangerous token
(payload.timestamp.signature), so anything shaped like one is masked wherever it appears:
a path segment or a query value like /book?enquiry=<token>.
"""

import logging
import re

from flask import Flask

# Three dot-separated URL-safe base64 runs; a compressed payload starts with an extra dot.
TOKEN_SHAPE = re.compile(r"\.?[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{16,}")
MASK = "[token]"
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def mask_tokens(text: str) -> str:
    return TOKEN_SHAPE.sub(MASK, text)


class MaskTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


_FILTER = MaskTokens()


def install_log_filter(app: Flask) -> None:
    # Filters on a logger see only records logged to that logger by name, which is how
    # werkzeug and gunicorn write their access lines; the app's own logger gets it too.
    for logger in [app.logger, *(logging.getLogger(name) for name in LOGGERS)]:
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
