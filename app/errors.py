"""Clear pages for every error a person can meet, instead of a stack trace."""

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .tokens import TokenExpired, TokenInvalid

MESSAGES = {
    400: ("We could not accept that", "Something in the request was not right. Please go back "
          "and try again."),
    403: ("Not allowed", "You do not have permission to see this page."),
    404: ("Page not found", "We could not find that page. Check the address, or start again "
          "from the home page."),
    405: ("Not allowed", "That page cannot be used this way."),
    413: ("Too much to send", "What you sent was too long. Please shorten your answers and try "
          "again."),
    429: ("Too many tries", "Please wait a few minutes before trying again, or call us."),
    500: ("Something went wrong", "Nothing was saved. Please try again in a few minutes, or "
          "call us."),
}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(TokenInvalid, _link_problem)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


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
