"""A clinic time typed at the desk, or given to a command, in the hour the clocks skip or repeat.

In 2027 the UK's clocks go forward at 01:00 on Sunday 28 March (01:00-01:59 never happens) and
back at 02:00 on Sunday 31 October (01:00-01:59 happens twice, first BST, then GMT). A time that
never happens is refused in plain words; for one that happens twice the desk is asked which.
"""

from datetime import UTC, datetime

import pytest

from app.bookings.service import closures_between

from ..support.desk import post_form
from .helpers import utc

SETTINGS = "/admin/settings/diary"
CLOSURES = f"{SETTINGS}/closures"
SKIPPED = "The clocks go forward at 01:00 on 28 March 2027, so 01:30 does not exist that day."
REPEATED = ("The clocks go back at 02:00 on 31 October 2027, so 01:30 happens twice that day. "
            "Choose which one you mean.")
FIRST, SECOND = "01:30 BST, the first", "01:30 GMT, the second"


def saved_closures():
    return closures_between(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    "fields",
    [
        {"starts": "2027-03-28T01:30", "ends": "2027-03-28T03:00"},
        # Read naively this was a closure ending before it started: the database refused it.
        {"starts": "2027-03-28T01:30", "ends": "2027-03-28T02:10"},
        {"starts": "2027-03-27T18:00", "ends": "2027-03-28T01:30"},
    ],
    ids=["starts-in-the-gap", "starts-in-the-gap-ends-just-after", "ends-in-the-gap"],
)
def test_a_time_the_clocks_skip_is_refused_in_plain_words(desk, db, fields):
    response = post_form(desk, SETTINGS, CLOSURES, **fields)
    assert response.status_code == 400
    assert SKIPPED in response.text
    assert saved_closures() == []


def test_a_repeated_time_asks_which_one_is_meant_and_keeps_the_answer(desk, db):
    asked = post_form(desk, SETTINGS, CLOSURES, starts="2027-10-31T01:30",
                      ends="2027-10-31T03:00", reason="Boiler")
    assert asked.status_code == 400
    assert REPEATED in asked.text
    assert FIRST in asked.text and SECOND in asked.text
    assert 'name="starts_which"' in asked.text and 'name="ends_which"' not in asked.text
    assert 'value="2027-10-31T01:30"' in asked.text and 'value="Boiler"' in asked.text
    assert saved_closures() == []

    chosen = post_form(desk, SETTINGS, CLOSURES, starts="2027-10-31T01:30",
                       starts_which="second", ends="2027-10-31T03:00")
    assert chosen.status_code == 303
    (closure,) = saved_closures()
    assert (closure.starts_at, closure.ends_at) == (utc(2027, 10, 31, 1, 30),
                                                    utc(2027, 10, 31, 3, 0))


def test_the_hour_between_the_two_readings_of_a_time_can_be_closed(desk, db):
    response = post_form(desk, SETTINGS, CLOSURES, starts="2027-10-31T01:30",
                         starts_which="first", ends="2027-10-31T01:30", ends_which="second")
    assert response.status_code == 303
    (closure,) = saved_closures()
    assert (closure.starts_at, closure.ends_at) == (utc(2027, 10, 31, 0, 30),
                                                    utc(2027, 10, 31, 1, 30))


def test_the_choice_is_shown_only_for_a_repeated_time_and_a_made_up_one_asks_again(desk, db):
    assert "starts_which" not in desk.get(SETTINGS).text
    ordinary = post_form(desk, SETTINGS, CLOSURES, starts="2027-10-31T03:30",
                         starts_which="second", ends="2027-10-31T03:00")
    assert ordinary.status_code == 400 and "starts_which" not in ordinary.text
    made_up = post_form(desk, SETTINGS, CLOSURES, starts="2027-10-31T01:30",
                        starts_which="third", ends="2027-10-31T03:00")
    assert made_up.status_code == 400 and REPEATED in made_up.text
    assert saved_closures() == []


@pytest.mark.parametrize(
    ("now", "says"),
    [
        ("2027-03-28T01:30", SKIPPED),
        ("2027-10-31T01:30", "The clocks go back at 02:00 on 31 October 2027, so 01:30 happens "
         "twice that day. Add the offset you mean: 2027-10-31T01:30+01:00 for 01:30 BST, the "
         "first or 2027-10-31T01:30+00:00 for 01:30 GMT, the second."),
    ],
    ids=["skipped", "repeated"],
)
def test_a_command_given_such_a_time_without_an_offset_refuses_it(runner, now, says):
    result = runner.invoke(args=["privacy", "purge", "--dry-run", "--now", now])
    assert result.exit_code == 2
    assert says in " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize("now", ["2027-10-31T01:30+01:00", "2027-10-31T01:30+00:00",
                                 "2027-03-28T02:30"])
def test_a_command_given_an_offset_or_an_ordinary_time_runs(runner, now):
    result = runner.invoke(args=["privacy", "purge", "--dry-run", "--now", now])
    assert result.exit_code == 0, result.output
