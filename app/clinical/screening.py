"""The red-flag screen: symptoms that need medical care before anything the clinic offers.

Written from the NHS's guidance on back pain. Emergency answers mean 999 or A&E now; urgent
answers mean NHS 111 or the GP the same day. Both mark the enquiry urgent for the osteopath.
"""

from dataclasses import dataclass

from app.models import URGENCY_EMERGENCY, URGENCY_NONE, URGENCY_URGENT


@dataclass(frozen=True)
class RedFlag:
    code: str
    question: str
    level: str


RED_FLAGS = (
    RedFlag(
        "both_legs",
        "Numbness, tingling, weakness or pain in both legs",
        URGENCY_EMERGENCY,
    ),
    RedFlag(
        "saddle_numbness",
        "Numbness or tingling around your genitals, buttocks or back passage",
        URGENCY_EMERGENCY,
    ),
    RedFlag(
        "bladder_bowel",
        "New trouble peeing, or not being able to control when you pee or poo",
        URGENCY_EMERGENCY,
    ),
    RedFlag(
        "sexual_function",
        "A new change in sexual function, such as loss of feeling or problems with erections",
        URGENCY_EMERGENCY,
    ),
    RedFlag(
        "serious_accident",
        "The pain began after a serious accident, such as a car crash or a bad fall",
        URGENCY_EMERGENCY,
    ),
    RedFlag(
        "fever",
        "A high temperature, or feeling hot and shivery",
        URGENCY_URGENT,
    ),
    RedFlag(
        "weight_loss",
        "Losing weight without trying and without knowing why",
        URGENCY_URGENT,
    ),
    RedFlag(
        "cancer_history",
        "You have had cancer",
        URGENCY_URGENT,
    ),
    RedFlag(
        "night_pain",
        "Constant pain, at night too, that does not ease when you rest or change position",
        URGENCY_URGENT,
    ),
)
RED_FLAGS_BY_CODE = {flag.code: flag for flag in RED_FLAGS}
EMERGENCY_CODES = frozenset(f.code for f in RED_FLAGS if f.level == URGENCY_EMERGENCY)


def urgency_of(codes: list[str]) -> str:
    levels = {RED_FLAGS_BY_CODE[code].level for code in codes}
    if URGENCY_EMERGENCY in levels:
        return URGENCY_EMERGENCY
    if URGENCY_URGENT in levels:
        return URGENCY_URGENT
    return URGENCY_NONE


def questions_for(codes: list[str]) -> list[str]:
    return [RED_FLAGS_BY_CODE[code].question for code in codes if code in RED_FLAGS_BY_CODE]
