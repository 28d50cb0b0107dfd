"""`flask content load`: put the default series parts and programme in the database."""

import click
from flask.cli import AppGroup

from .service import load_defaults

content_cli = AppGroup("content", help="The article parts and programme text.")


@content_cli.command("load")
def load_command() -> None:
    """Add missing content; never overwrite what the osteopath has edited."""
    click.echo(str(load_defaults()))
