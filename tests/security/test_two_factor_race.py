"""A code sent twice at the same moment lets only one sign-in through (PostgreSQL, where two
transactions really run at once; SQLite's BEGIN IMMEDIATE serialises them anyway)."""

import threading

import pyotp
import pytest
from sqlalchemy import select, update

from app.auth import two_factor
from app.auth.two_factor import STEP_SECONDS
from app.extensions import db
from app.models import StaffUser

from ..support.postgres import wait_until_blocked
from .test_two_factor import _staff, turn_on


@pytest.mark.postgres
def test_a_code_checked_while_another_request_uses_it_is_refused(app, desk):
    secret, _ = turn_on(desk)
    step = _staff().totp_last_step + 1
    code = pyotp.TOTP(secret).at(step * STEP_SECONDS)
    db.session.commit()

    # The first request has taken the account row and used the step, not yet committed.
    first = db.engine.connect()
    first_txn = first.begin()
    first.execute(select(StaffUser.id).with_for_update())
    first.execute(update(StaffUser).values(totp_last_step=step))

    outcome: list[bool] = []

    def second_request() -> None:
        with app.app_context():
            staff = db.session.execute(select(StaffUser)).scalar_one()
            outcome.append(two_factor.check_code(staff, code))
            db.session.remove()

    thread = threading.Thread(target=second_request)
    thread.start()
    wait_until_blocked(thread, "the second check, for the first,")
    first_txn.commit()
    first.close()
    thread.join(timeout=30)
    assert outcome == [False]
