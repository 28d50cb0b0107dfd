"""`flask bookings defaults`: the settings row and ordinary opening hours, if missing."""

import click
from flask.cli import AppGroup

from .diary import load_defaults

bookings_cli = AppGroup("bookings", help="The booking diary.")


@bookings_cli.command("defaults")
def defaults_command() -> None:
    """Add default booking settings and Mon-Fri opening hours; never overwrite changes."""
    click.echo(load_defaults())
