"""Commands registered on the app; each part of the clinic brings its own group."""

from flask import Flask


def register_commands(app: Flask) -> None:
    from .auth.cli import staff_cli
    from .bookings.cli import bookings_cli
    from .content.cli import content_cli
    from .devmail.cli import devmail_cli
    from .outbox.cli import outbox_cli
    from .privacy.cli import privacy_cli

    app.cli.add_command(outbox_cli)
    app.cli.add_command(devmail_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(bookings_cli)
    app.cli.add_command(privacy_cli)
