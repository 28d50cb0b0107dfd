"""Which article parts suit an enquiry, and why.

Each part names the enquiry answers that make it relevant (what brings the problem on, and
which problem it is); the osteopath edits those with the part. A part matches when any of its
answers was given. When none matches, the default part is chosen, with that as the reason.
"""

from dataclasses import dataclass

from app.clinical.choices import PROBLEMS, TRIGGERS, label_for


@dataclass(frozen=True)
class PartRule:
    slug: str
    title: str
    triggers: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    is_default: bool = False


@dataclass(frozen=True)
class Choice:
    slug: str
    reason: str


def choose_parts(rules: list[PartRule], problem: str, triggers: list[str]) -> list[Choice]:
    chosen = []
    for rule in rules:
        matched = [label_for(TRIGGERS, t).lower() for t in rule.triggers if t in triggers]
        if problem in rule.problems:
            matched.append(label_for(PROBLEMS, problem).lower())
        if matched:
            chosen.append(Choice(rule.slug, f"{rule.title}: " + "; ".join(matched)))
    if chosen:
        return chosen
    default = next((rule for rule in rules if rule.is_default), None)
    if default is None:
        return []
    return [Choice(default.slug, f"{default.title}: no specific trigger, so the general part")]
