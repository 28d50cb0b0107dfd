"""`flask outbox send-due` (for cron) and `flask outbox worker` (a loop)."""

import signal
import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.timeutil import parse_moment

from .dispatch import send_due

outbox_cli = AppGroup("outbox", help="Send the emails waiting in the outbox.")

now_option = click.option(
    "--now",
    "now_text",
    metavar="ISO-TIME",
    help="Act as if it were this moment (an offset, or clinic local time without one).",
)


def _moment(now_text: str | None):
    if now_text is None:
        return None
    try:
        return parse_moment(now_text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--now") from None


@outbox_cli.command("send-due")
@now_option
def send_due_command(now_text: str | None) -> None:
    """Send every message that is due, then exit."""
    report = send_due(_moment(now_text))
    click.echo(str(report))


@outbox_cli.command("worker")
@now_option
@click.option("--interval", type=float, default=None, help="Seconds between polls.")
def worker_command(now_text: str | None, interval: float | None) -> None:
    """Send due messages until stopped (SIGTERM or Ctrl-C ends it after the current batch)."""
    moment = _moment(now_text)
    interval = interval if interval is not None else current_app.config["OUTBOX_POLL_SECONDS"]
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"outbox worker polling every {interval:g}s")
    while not stopping:
        report = send_due(moment)
        if report.sent or report.retrying or report.failed or report.cancelled:
            click.echo(str(report))
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, interval))
