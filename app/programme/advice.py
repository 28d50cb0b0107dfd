"""Advice from a check-in's answers, following the clinic's article on the clamshell.

The dose is 3 sets of 8-10 repetitions, 3-4 times a week. When it feels easy or the knees go
very wide, a heavier band; a 4th set is added along the way; the weaker side is worked smoothly
and evenly. Worse pain than at the start, or any red flag, stops the programme until the
osteopath has been in touch.
"""

from dataclasses import dataclass

STOP = "stop"
HEAVIER_BAND = "heavier_band"
FOURTH_SET = "fourth_set"
MORE_SESSIONS = "more_sessions"
EASE_OFF = "ease_off"
WEAKER_SIDE = "weaker_side"
KEEP_GOING = "keep_going"


@dataclass(frozen=True)
class CheckinAnswers:
    week: int
    sessions_per_week: int
    sets: int
    repetitions: int
    effort: str  # "easy", "about_right" or "hard"
    knees_very_wide: bool
    weaker_side: str  # "left", "right" or "neither"
    pain_score: int
    red_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Advice:
    code: str
    urgent: bool = False


def advise(answers: CheckinAnswers, pain_at_enrolment: int) -> list[Advice]:
    """The advice for these answers, most important first; STOP replaces everything else."""
    if answers.red_flags or answers.pain_score > pain_at_enrolment:
        return [Advice(STOP, urgent=True)]
    advice: list[Advice] = []
    if answers.effort == "hard" and not answers.knees_very_wide:
        advice.append(Advice(EASE_OFF))
    elif answers.effort == "easy" or answers.knees_very_wide:
        advice.append(Advice(HEAVIER_BAND))
    if _ready_for_fourth_set(answers):
        advice.append(Advice(FOURTH_SET))
    if answers.sessions_per_week < 3:
        advice.append(Advice(MORE_SESSIONS))
    if answers.weaker_side in ("left", "right"):
        advice.append(Advice(WEAKER_SIDE))
    return advice or [Advice(KEEP_GOING)]


def _ready_for_fourth_set(answers: CheckinAnswers) -> bool:
    """Three full sets done regularly without strain: time to add a fourth."""
    return (
        answers.sets == 3
        and answers.repetitions >= 10
        and answers.sessions_per_week >= 3
        and answers.effort != "hard"
    )
