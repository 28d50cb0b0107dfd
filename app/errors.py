"""Clear pages for every error a person can meet, instead of a stack trace.

A busy database (app.database.is_busy) is not a fault: the page answers 503 with Retry-After
and says nothing was saved. A public form that saves does better with `form_kept_when_busy`:
the person gets the form back with everything they typed.
"""

from functools import wraps

from flask import Flask, current_app, g, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from .database import busy_reason, is_busy, read_only_from_here
from .extensions import db
from .tokens import TokenExpired, TokenInvalid

RETRY_AFTER_SECONDS = 30
BUSY = "database_busy"

MESSAGES = {
    400: ("We could not accept that", "Something in the request was not right. Please go back "
          "and try again."),
    403: ("Not allowed", "You do not have permission to see this page."),
    404: ("Page not found", "We could not find that page. Check the address, or start again "
          "from the home page."),
    405: ("Not allowed", "That page cannot be used this way."),
    413: ("Too much to send", "What you sent was too long. Please shorten your answers and try "
          "again."),
    415: ("We could not accept that", "This page takes a form filled in on the page. Please go "
          "back and try again."),
    429: ("Too many tries", "Please wait a few minutes before trying again, or call us."),
    500: ("Something went wrong", "Nothing was saved. Please try again in a few minutes, or "
          "call us."),
    503: ("Too busy just now", "The clinic's system is busy, so nothing was saved. Please try "
          "again in a minute, or call us."),
}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(TokenInvalid, _link_problem)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.context_processor(lambda: {BUSY: database_was_busy()})


def _render(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def _link_problem(error: TokenInvalid):
    """A link from an email that was altered, made for something else, points at nothing any
    more, or is too old: a plain page, never a stack trace."""
    expired = isinstance(error, TokenExpired)
    return render_template("errors/link_problem.html", expired=expired), 410 if expired else 404


def _csrf_error(error: CSRFError):
    return _render(
        400,
        "This form had expired or was sent from somewhere else, so nothing was saved. "
        "Please open the page again and resend it.",
    )


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return _render(error.code)


def _unexpected_error(error: Exception):
    current_app.logger.exception("unhandled error")
    return _render(InternalServerError.code)


def _database_error(error: DBAPIError):
    if not is_busy(error):
        return _unexpected_error(error)
    current_app.logger.warning("database busy: %s", busy_reason(error))
    g.pop(BUSY, None)  # this page says so itself
    # Writing the page reads too (the signed-in account, for one).
    read_only_from_here()
    try:
        page = _render(ServiceUnavailable.code)
    except DBAPIError as again:
        if not is_busy(again):
            raise
        page = MESSAGES[ServiceUnavailable.code][1], {"Content-Type": "text/plain"}
    finally:
        db.session.rollback()
    return _retry_later(make_response(page))


def _retry_later(response):
    response.status_code = ServiceUnavailable.code
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_was_busy() -> bool:
    """True once this request met a busy database: a view under `form_kept_when_busy` then
    shows its form again instead of saving."""
    return g.get(BUSY, False)


def form_kept_when_busy(view):
    """For a public form that saves. If the database is busy, nothing is saved and the view
    runs once more, reading only, to show the form again with everything typed, and the
    answer is 503 with Retry-After and a line saying nothing was saved.

    The view must not save when `database_was_busy()`; it shows the form as for a mistake.
    A page read (GET) that met a busy database is read again without waiting for the lock.
    """
    @wraps(view)
    def kept(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DBAPIError as error:
            if not is_busy(error):
                raise
            current_app.logger.warning("database busy: %s", busy_reason(error))
        read_only_from_here()
        try:
            if request.method != "POST":  # nothing was being saved: the page as it reads
                return view(*args, **kwargs)
            g.setdefault(BUSY, True)
            return _retry_later(make_response(view(*args, **kwargs)))
        finally:
            db.session.rollback()  # the page is written; end its reading transaction

    # Outer decorators copy it, so a test can find every public form without it.
    kept.form_kept_when_busy = True
    return kept
