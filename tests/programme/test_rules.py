"""The programme's pure rules: when emails fall due, what advice answers get, which part fits."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.programme import advice as a
from app.programme.relevance import PartRule, choose_parts
from app.programme.schedule import checkin_due, closing_due

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("enrolled", "week", "expected_utc"),
    [
        # Enrolled in summer time, check-in after the October 2027 change: 09:00 GMT = 09:00 UTC.
        (datetime(2027, 10, 20, 15, 0, tzinfo=UTC), 2, datetime(2027, 11, 3, 9, 0, tzinfo=UTC)),
        # Within summer time: 09:00 BST = 08:00 UTC.
        (datetime(2027, 6, 1, 12, 0, tzinfo=UTC), 4, datetime(2027, 6, 29, 8, 0, tzinfo=UTC)),
        # Enrolled in winter, week 6 after the March 2027 change: 08:00 UTC.
        (datetime(2027, 3, 1, 10, 0, tzinfo=UTC), 6, datetime(2027, 4, 12, 8, 0, tzinfo=UTC)),
        # 23:30 UTC on 31 May is already 1 June in London: the count starts from 1 June.
        (datetime(2027, 5, 31, 23, 30, tzinfo=UTC), 2, datetime(2027, 6, 15, 8, 0, tzinfo=UTC)),
    ],
)
def test_checkins_fall_at_nine_clinic_time(enrolled, week, expected_utc):
    due = checkin_due(enrolled, week, LONDON)
    assert due == expected_utc
    assert due.astimezone(LONDON).hour == 9


def test_closing_email_follows_the_last_checkin():
    enrolled = datetime(2027, 9, 1, 10, 0, tzinfo=UTC)
    assert closing_due(enrolled, LONDON) > checkin_due(enrolled, 6, LONDON)
    assert closing_due(enrolled, LONDON).astimezone(LONDON).hour == 9


def test_there_are_only_three_checkins():
    with pytest.raises(ValueError):
        checkin_due(datetime(2027, 1, 1, tzinfo=UTC), 3, LONDON)


def answers(**overrides) -> a.CheckinAnswers:
    values = dict(
        week=2, sessions_per_week=3, sets=3, repetitions=8, effort="about_right",
        knees_very_wide=False, weaker_side="neither", pain_score=4, red_flags=(),
    )
    values.update(overrides)
    return a.CheckinAnswers(**values)


def codes(result) -> list[str]:
    return [item.code for item in result]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, [a.KEEP_GOING]),
        ({"effort": "easy"}, [a.HEAVIER_BAND]),
        ({"knees_very_wide": True}, [a.HEAVIER_BAND]),
        ({"repetitions": 10}, [a.FOURTH_SET]),
        ({"repetitions": 10, "effort": "easy"}, [a.HEAVIER_BAND, a.FOURTH_SET]),
        ({"sessions_per_week": 1}, [a.MORE_SESSIONS]),
        ({"weaker_side": "left"}, [a.WEAKER_SIDE]),
        ({"effort": "hard"}, [a.EASE_OFF]),
        ({"effort": "hard", "repetitions": 10}, [a.EASE_OFF]),
        ({"pain_score": 5}, [a.STOP]),
        ({"red_flags": ("both_legs",), "effort": "easy"}, [a.STOP]),
    ],
)
def test_advice_follows_the_answers(overrides, expected):
    assert codes(a.advise(answers(**overrides), pain_at_enrolment=4)) == expected


def test_stop_is_urgent_and_alone():
    result = a.advise(answers(pain_score=9, weaker_side="right"), pain_at_enrolment=3)
    assert result == [a.Advice(a.STOP, urgent=True)]


RULES = [
    PartRule("part-1", "Part 1", triggers=("long_sitting",)),
    PartRule(
        "part-2",
        "Part 2",
        triggers=("walking", "walking_uphill", "getting_out_of_car", "new_gym_exercise"),
        problems=("hip_pelvis",),
        is_default=True,
    ),
]


@pytest.mark.parametrize(
    ("problem", "triggers", "expected"),
    [
        ("back", ["long_sitting"], ["part-1"]),
        ("back", ["walking_uphill"], ["part-2"]),
        ("back", ["getting_out_of_car"], ["part-2"]),
        ("back", ["new_gym_exercise"], ["part-2"]),
        ("back", ["long_sitting", "walking"], ["part-1", "part-2"]),
        ("hip_pelvis", [], ["part-2"]),
        ("hip_pelvis", ["long_sitting"], ["part-1", "part-2"]),
        ("other", ["bending_lifting"], ["part-2"]),
        ("other", [], ["part-2"]),
    ],
)
def test_parts_follow_the_answers(problem, triggers, expected):
    assert [choice.slug for choice in choose_parts(RULES, problem, triggers)] == expected


def test_reasons_name_the_answers_that_matched():
    (part_1, part_2) = choose_parts(RULES, "hip_pelvis", ["long_sitting"])
    assert part_1.reason == "Part 1: sitting for a long time"
    assert part_2.reason == "Part 2: hip or pelvis stability"
    (fallback,) = choose_parts(RULES, "other", [])
    assert "no specific trigger" in fallback.reason
