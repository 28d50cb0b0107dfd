"""`flask devmail serve`: catch every email on loopback and keep it for /dev/mail."""

import signal
import threading

import click
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from flask import current_app
from flask.cli import AppGroup

devmail_cli = AppGroup("devmail", help="The local mail catcher used by `make run`.")


@devmail_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=1025, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Accept mail on HOST:PORT and store it in DEV_MAILDIR until stopped."""
    maildir = current_app.config.get("DEV_MAILDIR")
    if not maildir:
        raise click.UsageError("DEV_MAILDIR is not set; the catcher is for local development.")
    # Set before the port opens: a stop asked for as soon as it answers still stops cleanly.
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    controller = Controller(Mailbox(maildir), hostname=host, port=port)
    controller.start()
    click.echo(f"mail catcher on {host}:{port}; read the mail at /dev/mail")
    stopped.wait()
    controller.stop()
