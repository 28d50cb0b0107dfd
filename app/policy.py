"""The clinic's timing policy: when the programme's and bookings' emails go, and how long
offers and emailed links last.

Each value is a setting in config/settings.py, readable from the environment (`.env.example`
lists them; docs/policy.md says what each does), and the code asks for it here and nowhere
else. Outside an application (the pure rules' tests) the settings' own defaults apply. How
long a booking request holds its slot is not here: the osteopath sets it on the desk's
diary settings page.
"""

from datetime import time

from flask import current_app, has_app_context

from config.settings import Config

# Fixed, not a setting: the programme's emails and pages name weeks 2, 4 and 6, and the
# database accepts a check-in for those weeks only.
CHECKIN_WEEKS = (2, 4, 6)
# Fixed, not a setting: the desk's offer form has a place for each time, and the offer email
# gives each its own link.
MAX_OFFERED_TIMES = 3


def _setting(name: str):
    return current_app.config[name] if has_app_context() else getattr(Config, name)


def checkin_send_time() -> time:
    """The clinic-clock time at which check-ins and the closing email are due."""
    return time.fromisoformat(_setting("PROGRAMME_SEND_TIME"))


def closing_day() -> int:
    """Days after enrolment when the closing email is due."""
    return _setting("PROGRAMME_CLOSING_DAY")


def reminder_time() -> time:
    """The clinic-clock time, the day before an appointment, at which its reminder is due."""
    return time.fromisoformat(_setting("BOOKING_REMINDER_TIME"))


def link_max_age(purpose: str) -> int:
    """Seconds an emailed link for `purpose` (one of LINK_PURPOSES) stays usable: its
    `<purpose>_LINK_DAYS` setting, as the signed link's reader counts it."""
    return _setting(f"{purpose}_LINK_DAYS") * 24 * 60 * 60


LINK_PURPOSES = ("CHECKIN", "UNSUBSCRIBE", "CONFIRM_ADDRESS", "BOOKING_MANAGE", "BOOKING_OFFER",
                 "BOOKING_FROM_ENQUIRY")


def problems(config) -> list[str]:
    """What is wrong with the timing settings in `config`, so that a mistyped value stops the
    site at start-up rather than the first email that needs it."""
    found = []
    for name in ("PROGRAMME_SEND_TIME", "BOOKING_REMINDER_TIME"):
        try:
            time.fromisoformat(str(config[name]))
        except ValueError:
            found.append(f"{name} must be a time of day such as 09:00, not {config[name]!r}")
    last_checkin_day = 7 * CHECKIN_WEEKS[-1]
    if config["PROGRAMME_CLOSING_DAY"] <= last_checkin_day:
        found.append(f"PROGRAMME_CLOSING_DAY must come after the last check-in "
                     f"(day {last_checkin_day})")
    found.extend(f"{purpose}_LINK_DAYS must be at least 1" for purpose in LINK_PURPOSES
                 if config[f"{purpose}_LINK_DAYS"] < 1)
    return found
