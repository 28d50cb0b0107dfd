"""The answers the enquiry offers, as (stored code, words shown) pairs."""

from wtforms.fields.choices import SelectChoice

PROBLEMS = [
    ("back", "Back pain"),
    ("hip_pelvis", "Hip or pelvis stability"),
    ("other", "Another joint or muscle problem"),
]

# How a sentence names the problem: "thank you for getting in touch about ...".
PROBLEM_PHRASES = {
    "back": "your back pain",
    "hip_pelvis": "your hip or pelvis",
    "other": "your joint or muscle problem",
}

DURATIONS = [
    ("under_6_weeks", "Less than 6 weeks"),
    ("6_weeks_to_3_months", "6 weeks to 3 months"),
    ("over_3_months", "More than 3 months"),
]

TRIGGERS = [
    ("long_sitting", "Sitting for a long time"),
    ("standing", "Standing for a long time"),
    ("walking", "Walking"),
    ("walking_uphill", "Walking uphill or up steps"),
    ("getting_out_of_car", "Getting in or out of a car"),
    ("new_gym_exercise", "A new exercise at the gym or in a class"),
    ("bending_lifting", "Bending or lifting"),
]

PAIN_SCORES = [(str(n), str(n)) for n in range(11)]


def label_for(choices: list[tuple[str, str]], code: str) -> str:
    return dict(choices).get(code, code)


def as_choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(code, words) for code, words in pairs]
