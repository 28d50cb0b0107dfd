"""`flask privacy purge`: the retention rule, run daily from cron."""

from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from app.cli_options import now_option
from app.timeutil import utcnow

from .erasure_log import log_path
from .restore import reapply_erasures
from .retention import expired, purge

privacy_cli = AppGroup("privacy", help="Privacy: the retention rule, and erasures after a "
                       "restore.")


@privacy_cli.command("purge")
@now_option
@click.option("--dry-run", is_flag=True, help="Say how many would go; delete nothing.")
def purge_command(now: datetime | None, dry_run: bool) -> None:
    """Delete enquiries and booking requests older than RETENTION_MONTHS that never led
    to a patient."""
    now = now or utcnow()
    if dry_run:
        click.echo(f"{expired(now)} would be deleted.")
        return
    click.echo(f"Deleted {purge(now)} older than the retention period, with their replies "
               "and emails.")


@privacy_cli.command("reapply-erasures")
@click.option("--log", "log_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The erasure log to read (default: ERASURE_LOG_FILE).")
def reapply_command(log_file: Path | None) -> None:
    """After restoring a backup, before opening the site: erase again everyone erased."""
    path = log_file or log_path()
    if path is None or not path.is_file():
        raise click.UsageError("No erasure log: give --log, or set ERASURE_LOG_FILE.")
    try:
        erasures, counts = reapply_erasures(path)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"{erasures} erasures applied again. Found and removed again: "
               f"{counts['enquiries']} enquiries, {counts['appointments']} appointments and "
               f"{counts['emails']} emails. No new record will take an erased number.")
