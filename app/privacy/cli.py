"""`flask privacy purge`: the retention rule, run daily from cron."""

import click
from flask.cli import AppGroup

from app.outbox.cli import _moment, now_option
from app.timeutil import utcnow

from .retention import expired, purge

privacy_cli = AppGroup("privacy", help="Privacy: the retention rule for old records.")


@privacy_cli.command("purge")
@now_option
@click.option("--dry-run", is_flag=True, help="Say how many would go; delete nothing.")
def purge_command(now_text: str | None, dry_run: bool) -> None:
    """Delete enquiries and booking requests older than RETENTION_MONTHS that never led
    to a patient."""
    now = _moment(now_text) or utcnow()
    if dry_run:
        click.echo(f"{expired(now)} would be deleted.")
        return
    click.echo(f"Deleted {purge(now)} older than the retention period, with their replies "
               "and emails.")
