"""The tests' clock reaches the processes they start (see tests/support/clock.py)."""

import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from .support.clock import AN_ORDINARY_MORNING, clock_environment

NOW_IN_A_NEW_PROCESS = "import datetime; print(datetime.datetime.now(datetime.UTC).isoformat())"


@pytest.mark.time_machine(AN_ORDINARY_MORNING)
def test_a_process_the_test_starts_reads_the_tests_clock():
    done = subprocess.run(
        [sys.executable, "-c", NOW_IN_A_NEW_PROCESS],
        env={**os.environ, **clock_environment()}, capture_output=True, text=True, check=True,
    )
    seen = datetime.fromisoformat(done.stdout.strip())
    assert AN_ORDINARY_MORNING <= seen < AN_ORDINARY_MORNING + timedelta(minutes=1)
