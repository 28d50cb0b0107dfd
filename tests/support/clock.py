"""The clock in tests: a test never reads the real one.

A test whose outcome could depend on the date or the time of day stands at a moment it names,
with time-machine's marker (the clock then ticks on from there; `tick=False` holds it still):

    pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

or it passes `now=` to the service it calls and `--now` to the commands it runs. A process the
test starts through tests/support/processes.py shares the test's clock (`clock_environment`);
the site the browser journeys serve keeps the real one, so they take what they act on from
what the site shows (its pages, its emails).

`pytest --clock=MOMENT` moves the whole session's clock to MOMENT, and every Python process
the tests start by the same amount; `make test-dates` runs the suite so at fixed moments, where
a test that still reads the real clock fails.
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

# Tuesday 12 January 2027, 10:00 in London (GMT): a working morning, weeks from any clock change.
AN_ORDINARY_MORNING = datetime(2027, 1, 12, 10, 0, tzinfo=UTC)

# Read by clock_site/sitecustomize.py, which Python imports at start-up from PYTHONPATH.
SHIFT_VARIABLE = "TEST_CLOCK_SHIFT_SECONDS"
CLOCK_SITE = Path(__file__).with_name("clock_site")


def clock_environment() -> dict[str, str]:
    """What a process started now needs in its environment to run on this test's clock: how
    far that clock is from the real one. Nothing when they agree."""
    if not time_machine.escape_hatch.is_travelling():
        return {}
    real = datetime.fromtimestamp(time_machine.escape_hatch.time.time(), UTC)
    shift = datetime.now(UTC) - real
    if abs(shift) < timedelta(seconds=1):
        return {}
    others = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {
        SHIFT_VARIABLE: str(shift.total_seconds()),
        "PYTHONPATH": os.pathsep.join(dict.fromkeys([str(CLOCK_SITE), *others])),
    }


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--clock", metavar="MOMENT", default=None,
        help="run the session as if the clock read MOMENT (ISO 8601 with its offset, for "
             "example 2027-03-26T16:00+00:00); processes the tests start are moved too",
    )


def pytest_configure(config) -> None:
    moment = config.getoption("clock")
    if moment is None:
        return
    try:
        destination = datetime.fromisoformat(moment)
    except ValueError:
        raise pytest.UsageError(f"--clock {moment!r} is not an ISO 8601 time") from None
    if destination.tzinfo is None:
        raise pytest.UsageError(f"--clock {moment!r} needs its offset, for example +00:00")
    travel = time_machine.travel(destination - datetime.now(UTC), tick=True)
    travel.start()
    config.stash[_SESSION_TRAVEL] = travel
    # Every process started from here on inherits the shift, not the moment: all of them
    # share one clock that ticks on, however late in the session each starts.
    os.environ.update(clock_environment())


def pytest_unconfigure(config) -> None:
    if _SESSION_TRAVEL in config.stash:
        config.stash[_SESSION_TRAVEL].stop()


def pytest_report_header(config) -> str | None:
    moment = config.getoption("clock")
    return f"clock: the session runs at {moment}" if moment else None


_SESSION_TRAVEL = pytest.StashKey[time_machine.travel]()
