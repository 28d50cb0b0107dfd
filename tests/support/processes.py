"""Running `flask outbox send-due` as real processes, the way cron does."""

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .clock import clock_environment

FLASK = Path(sys.executable).with_name("flask")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Only stops a stuck test; nothing here is expected to come near it.
HANG_GUARD_SECONDS = 120


def flask_env(database_url: str, mail_port: int, **settings) -> dict[str, str]:
    """The environment a send-due process gets: the test database and this mail server.

    Mail and outbox settings from the developer's own shell are left out so that only the
    test decides them; TZ is kept, so the processes too run outside the clinic's zone; and
    the process runs on the test's clock.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MAIL_", "OUTBOX_", "DATABASE_URL"))
    }
    env.update(
        APP_ENV="testing",
        DATABASE_URL=database_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(mail_port),
        FLASK_SKIP_DOTENV="1",
    )
    env.update(clock_environment())
    env.update({name: str(value) for name, value in settings.items()})
    return env


def send_due_args(now: str | None = None) -> list[str]:
    return [str(FLASK), "--app", "app", "outbox", "send-due"] + (["--now", now] if now else [])


def run_send_due(env: dict[str, str], now: str | None = None) -> subprocess.CompletedProcess:
    """Run send-due to the end; a process still running after the hang guard fails the test."""
    return subprocess.run(
        send_due_args(now),
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
    )


@contextmanager
def started_send_due(env: dict[str, str], now: str | None = None) -> Iterator[subprocess.Popen]:
    """A send-due process left running for the test; killed on the way out if still alive."""
    process = subprocess.Popen(
        send_due_args(now),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def finish(process: subprocess.Popen) -> tuple[str, str]:
    """Wait for a started process; returns (stdout, stderr)."""
    return process.communicate(timeout=HANG_GUARD_SECONDS)


def wait_until(condition: Callable[[], bool], what: str, process=None) -> None:
    """Poll until `condition()` holds; fail if the hang guard passes or `process` has ended."""
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while not condition():
        if process is not None and process.poll() is not None:
            _, stderr = process.communicate()
            raise AssertionError(f"process ended before {what}: {stderr}")
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)
