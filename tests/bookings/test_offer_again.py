"""Offering the very same times again is refused with a clear word, not a silent no-email."""

from datetime import timedelta

import pytest

from app.bookings.errors import NotAllowedNow
from app.bookings.service import propose_times
from app.timeutil import utcnow

from ..support.clock import AN_ORDINARY_MORNING
from .helpers import counts, soon_slot, wanting


@pytest.mark.time_machine(AN_ORDINARY_MORNING)
def test_the_same_offer_twice_says_the_patient_already_has_it(app):
    appointment = wanting(utcnow())
    times = [soon_slot(3), soon_slot(4) + timedelta(hours=1)]
    propose_times(appointment, times)
    before = counts()
    with pytest.raises(NotAllowedNow, match="already on offer"):
        propose_times(appointment, list(reversed(times)))
    assert counts() == before
