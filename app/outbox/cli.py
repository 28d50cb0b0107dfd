"""`flask outbox send-due` (for cron) and `flask outbox worker` (a loop)."""

import signal
import time
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from app.cli_options import now_option

from .dispatch import send_due

outbox_cli = AppGroup("outbox", help="Send the emails waiting in the outbox.")


@outbox_cli.command("send-due")
@now_option
def send_due_command(now: datetime | None) -> None:
    """Send every message that is due, then exit."""
    report = send_due(now)
    click.echo(str(report))


@outbox_cli.command("worker")
@now_option
@click.option("--interval", type=float, default=None, help="Seconds between polls.")
def worker_command(now: datetime | None, interval: float | None) -> None:
    """Send due messages until stopped (SIGTERM or Ctrl-C ends it after the current batch)."""
    interval = interval if interval is not None else current_app.config["OUTBOX_POLL_SECONDS"]
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"outbox worker polling every {interval:g}s")
    while not stopping:
        report = send_due(now)
        if report.sent or report.retrying or report.failed or report.cancelled:
            click.echo(str(report))
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, interval))
