"""Puts a process the tests start on the tests' clock (see tests/support/clock.py).

Python imports sitecustomize at start-up from PYTHONPATH, where clock_environment() puts this
folder along with how far the tests' clock is from the real one.
"""

import os

_shift = os.environ.get("TEST_CLOCK_SHIFT_SECONDS")
if _shift:
    from datetime import timedelta

    import time_machine

    time_machine.travel(timedelta(seconds=float(_shift)), tick=True).start()
