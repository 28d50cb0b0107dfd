"""The forms wrk sends: every one new, as a patient's would be.

Each line of a file is "path<TAB>body". The enquiry ticks every box the form offers (every
trigger, an appointment, the follow-up; the safety screen clear); the booking asks for the
first free slot, from the same person each time, so each request releases the last one's hold
and holds the slot again; a check-in answers one week of one patient's programme; a
confirmation presses the button for one enquiry's address. The patients whose links these
carry are written beforehand, each server given its own (`Pools`).
"""

import http.client
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import sqlalchemy as sa

from app import create_app
from app.bookings.diary import load_defaults as diary_defaults
from app.clinical.choices import TRIGGERS
from app.content.service import load_defaults as content_defaults
from app.extensions import db
from app.models import Enrolment
from app.programme.emails import CONFIRM_ADDRESS
from app.tokens import make_token
from tests.support import seed

from .common import SECRET_KEY

KINDS = ("enquiry", "booking", "check-in", "confirmation")
HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')
SLOT = re.compile(r'name="slot" id="slot-[^"]+" value="([^"]+)"')
WEEKS = (2, 4, 6)
ENQUIRY = [
    ("name", "Sam Patel"), ("email", "sam@example.org"), ("phone", "07710 466880"),
    ("problem", "back"), ("location", "Lower back, left side"),
    ("duration", "6_weeks_to_3_months"), *(("triggers", code) for code, _ in TRIGGERS),
    ("trigger_other", "Gardening"), ("pain_score", "6"),
    ("message", "It is worse in the mornings."), ("red_flags", "none"),
    ("wants_appointment", "y"), ("consent_contact", "y"), ("consent_followup", "y"),
    ("ref", "part-2-hip-strength"), ("website", ""),
]
BOOKING = [
    ("name", "Ana Silva"), ("email", "ana@example.org"), ("phone", "07710 466880"),
    ("reason", "Low back pain when sitting"), ("preferred_1", ""), ("preferred_2", ""),
    ("preferred_3", ""), ("website", ""), ("consent_contact", "y"),
]
CHECKIN = [
    ("sessions_per_week", "3"), ("sets", "3"), ("repetitions", "8"), ("effort", "about_right"),
    ("knees_very_wide", "no"), ("weaker_side", "neither"), ("band", "green"),
    ("pain_score", "4"), ("red_flags", "none"), ("notes", ""),
]


@dataclass
class Page:
    """What a patient's browser holds once it has the forms: the session cookie, the hidden
    CSRF token and fill timer, and the first free slot on /book."""

    cookie: str
    hidden: list[tuple[str, str]]
    slot: str


def _get(port: int, path: str, cookie: str = "") -> tuple[str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        return (response.getheader("Set-Cookie") or "").split(";", 1)[0], response.read().decode()
    finally:
        connection.close()


def prepare(port: int) -> Page:
    cookie, html = _get(port, "/enquire")
    hidden = []
    for tag in HIDDEN_INPUT.findall(html):
        fields = dict(ATTRIBUTE.findall(tag))
        if fields.get("name") in ("csrf_token", "started"):
            hidden.append((fields["name"], fields.get("value", "")))
    return Page(cookie, hidden, SLOT.search(_get(port, "/book", cookie)[1]).group(1))


@dataclass
class Pools:
    """Links for each writing server ("app", "sto"): addresses to confirm and check-in weeks,
    and the records they name, to count what was written."""

    confirm: dict[str, list[str]]
    checkin: dict[str, list[str]]
    enquiries: dict[str, tuple[int, int]]
    enrolments: dict[str, tuple[int, int]]

    @classmethod
    def made(cls, url: str, size: int) -> "Pools":
        """The diary's hours and the programme's text, then `size` of each kind of link for
        each writer: enquiries not yet confirmed, and patients on the programme."""
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
        enrolled = -(-size // len(WEEKS))
        with app.app_context():
            content_defaults()
            diary_defaults()
            now = seed.utc_now()
            made = seed.enquiries(round((2 * size + 2 * enrolled) * 1.05), now,
                                  timedelta(seconds=1))
            clear = [row[0] for row in made if row[2] == "none"]
            to_confirm = {"app": clear[:size], "sto": clear[size:2 * size]}
            rest = clear[2 * size:2 * size + 2 * enrolled]
            seed.insert(Enrolment.__table__, [dict(
                enquiry_id=number, status="active", enrolled_at=now, pain_at_enrolment=6,
                parts=["part-2-hip-strength"], part_reasons=["default"],
                parts_chosen_by="rules", status_reason="",
            ) for number in rest])
            db.session.commit()
            # By range, not a list of numbers: a big run's list passes PostgreSQL's limit of
            # 65,535 parameters in one statement. Only `rest`, in order, was enrolled there.
            ids = db.session.execute(sa.select(Enrolment.id).where(
                Enrolment.enquiry_id.between(rest[0], rest[-1])).order_by(Enrolment.id)
            ).scalars().all()
            assert len(ids) == len(rest)
            on_programme = {"app": ids[:enrolled], "sto": ids[enrolled:]}
            pools = cls(
                {who: [make_token(CONFIRM_ADDRESS, n) for n in numbers]
                 for who, numbers in to_confirm.items()},
                {who: [make_token("checkin", n, week=week) for n in numbers for week in WEEKS]
                 for who, numbers in on_programme.items()},
                {who: (numbers[0], numbers[-1]) for who, numbers in to_confirm.items()},
                {who: (numbers[0], numbers[-1]) for who, numbers in on_programme.items()},
            )
            db.engine.dispose()
        return pools


def form_lines(kind: str, writer: str, number: int, count: int, page: Page,
               pools: Pools) -> str:
    """`count` forms of `kind` for round `number`, each new; no two rounds share one."""
    first = number * count
    lines = []
    for index in range(first, first + count):
        key = ("submission_key", f"{writer}{number:02d}x{index:011d}")
        if kind == "enquiry":
            path, fields = "/enquire", [*ENQUIRY, key]
        elif kind == "booking":
            path, fields = "/book", [*BOOKING, ("slot", page.slot), key]
        elif kind == "check-in":
            path, fields = f"/checkin/{pools.checkin[writer][index]}", CHECKIN
        else:
            path, fields = f"/programme/confirm/{pools.confirm[writer][index]}", []
        lines.append(f"{path}\t{urlencode([*page.hidden, *fields])}")
    return "\n".join(lines) + "\n"


def rows_written(url: str, writer: str, pools: Pools) -> dict[str, int]:
    """What each kind of POST from `writer` left in the database: its rows, counted."""
    low, high = pools.enquiries[writer]
    first, last = pools.enrolments[writer]
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        def count(sql: str, **values) -> int:
            return conn.execute(sa.text(sql), values).scalar()
        written = {
            "enquiry": count("SELECT count(*) FROM enquiry WHERE submission_key LIKE :p",
                             p=f"{writer}%"),
            "booking": count("SELECT count(*) FROM appointment WHERE submission_key LIKE :p",
                             p=f"{writer}%"),
            "check-in": count("SELECT count(*) FROM checkin WHERE enrolment_id BETWEEN :a "
                              "AND :b", a=first, b=last),
            "confirmation": count("SELECT count(*) FROM enrolment WHERE enquiry_id BETWEEN "
                                  ":a AND :b", a=low, b=high),
        }
    engine.dispose()
    return written
