"""Options that several `flask` command groups share."""

import click

from app.timeutil import parse_moment


def _moment(ctx, param, text: str | None):
    if text is None:
        return None
    try:
        return parse_moment(text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--now") from None


# Commands that act "now" can be run as if at another moment, for tests and for catching up.
now_option = click.option(
    "--now",
    "now",
    metavar="ISO-TIME",
    callback=_moment,
    help="Act as if it were this moment (an offset, or clinic local time without one).",
)
