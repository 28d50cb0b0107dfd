"""`flask staff …`: accounts for the desk. Passwords are never taken from the command line,
where they would stay in the shell's history and be visible to other users in `ps`."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.links import public_url

from .demo import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_account, remove_demo_accounts
from .service import AccountError, create_staff, find_staff
from .service import set_password as set_staff_password
from .two_factor import disable

staff_cli = AppGroup("staff", help="Staff accounts for the desk at /admin.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # Piped in, for example from a password manager: the first line is the password.
    return sys.stdin.readline().rstrip("\r\n")


@staff_cli.command("create")
@click.argument("email")
def create(email: str) -> None:
    """Create an account; the password is asked for (or read from standard input)."""
    password = _read_password()
    try:
        user = create_staff(email, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.email}. Sign in at {public_url('auth.sign_in')}")


@staff_cli.command("set-password")
@click.argument("email")
def set_password(email: str) -> None:
    """Give an account a new password; it is signed out everywhere."""
    password = _read_password()
    try:
        user = set_staff_password(email, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"New password set for {user.email}; every session it had has ended.")


@staff_cli.command("create-demo")
def create_demo() -> None:
    """Create or reset a demo account with a known password (APP_ENV=development only)."""
    # Explicitly development: an account whose password is printed here must never exist on
    # a server, even one where APP_ENV was forgotten (production is the default).
    if not current_app.config["DEMO_ACCOUNTS_ALLOWED"]:
        raise click.ClickException(
            "create-demo makes an account anyone can sign in to, so it runs only with "
            "APP_ENV=development."
        )
    ensure_demo_account()
    click.echo(f"Demo desk account: {public_url('auth.sign_in')}")
    click.echo(f"  email:    {DEMO_EMAIL}")
    click.echo(f"  password: {DEMO_PASSWORD}")


@staff_cli.command("remove-demo")
def remove_demo() -> None:
    """Delete the demo account (and any other marked as demo), with its sessions."""
    removed = remove_demo_accounts()
    if not removed:
        click.echo("There is no demo account.")
    for email in removed:
        click.echo(f"Removed the demo account {email}.")


@staff_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Turn off an account's second step (a lost phone and no recovery codes left).

    Check who is asking before running this: it leaves the account with its password only.
    """
    user = find_staff(email)
    if user is None:
        raise click.ClickException(f"There is no account for {email.strip().lower()}.")
    disable(user)
    click.echo(f"The second step is off for {user.email}, and every session it had has ended. "
               "They can sign in with their password and set it up again.")
