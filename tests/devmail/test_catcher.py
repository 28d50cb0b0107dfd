"""`make run`'s mail catcher: a real SMTP server that keeps mail for /dev/mail to show."""

import os
import re
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage

import pytest

from app import create_app

from ..support.smtp import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def catcher(tmp_path):
    """`flask devmail serve` in its own process, as `make run` starts it."""
    port = free_port()
    maildir = tmp_path / "mail"
    env = {**os.environ, "APP_ENV": "development", "DEV_MAILDIR": str(maildir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "devmail", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    _wait_for_port(port, process)
    yield port, maildir, process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    process.stdout.close()


def _wait_for_port(port: int, process, attempts: int = 100) -> None:
    for _ in range(attempts):
        if process.poll() is not None:
            pytest.fail(f"catcher exited: {process.stdout.read().decode()}")
        try:
            smtplib.SMTP("127.0.0.1", port, timeout=1).quit()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("the mail catcher never started listening")


def test_caught_mail_is_listed_and_readable(catcher):
    port, maildir, process = catcher
    message = EmailMessage()
    message["From"] = "clinic@clinic.example"
    message["To"] = "sam@example.org"
    message["Subject"] = "We have your enquiry"
    message.set_content("Dear Sam, thank you.")
    message.add_alternative("<p>Dear Sam, <script>alert(1)</script>thank you.</p>", subtype="html")
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        smtp.send_message(message)

    app = create_app(
        "development", {"DEV_MAILDIR": str(maildir), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    client = app.test_client()
    listing = client.get("/dev/mail/")
    assert listing.status_code == 200
    assert "We have your enquiry" in listing.text
    href = re.search(r'href="(/dev/mail/[^"]+)"', listing.text).group(1)
    shown = client.get(href)
    assert "Dear Sam, thank you." in shown.text
    # The HTML part is shown in a sandboxed frame, as escaped source, so its script cannot run.
    assert "<iframe" in shown.text and "sandbox" in shown.text
    assert "<script>alert(1)</script>" not in shown.text
    assert client.get("/dev/mail/no-such-message").status_code == 404


def test_catcher_stops_cleanly_on_sigterm(catcher):
    port, maildir, process = catcher
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
