"""The desk's long lists, enquiries, bookings and the programme: an exact count and "Page x of
y" up to COUNT_CAP matching rows, "more than" with Newer and Older beyond it, and the same
queries for a page however many rows there are."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import delete, select, update

from app.desk.enquiries.service import PAGE_SIZE
from app.extensions import db
from app.models import Appointment, CheckIn, Enquiry, Enrolment, OutboxMessage
from app.pagination import COUNT_CAP
from app.timeutil import utcnow

from .support import seed
from .support.clock import AN_ORDINARY_MORNING
from .support.outbox import statements

# The seeded rows are dated back from the clock's now, which the tests set.
pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

ENQUIRY = re.compile(r'href="/admin/enquiries/\d+">([^<]+)</a>')
BOOKING = re.compile(r'href="/admin/bookings/\d+">([^<]+)</a>')
PATIENT = re.compile(r'href="/admin/patients/\d+">([^<]+)</a>')
PAGE_LINK = re.compile(r'<a href="([^"]+)" rel="(next|prev)">')
TAG = re.compile(r"<[^>]+>")
CAP = f"{COUNT_CAP:,}"
WHOLE_PAGES = COUNT_CAP // PAGE_SIZE


def enquiries(count: int) -> list:
    """`count` more enquiries an hour apart, named "Patient <n>" from the oldest, n = 0."""
    return seed.enquiries(count, utcnow(), timedelta(hours=1))


def bookings(count: int) -> None:
    """`count` more appointments asked for an hour apart, named like the enquiries."""
    seed.appointments(count, utcnow(), timedelta(hours=1))


@dataclass(frozen=True)
class DeskList:
    """A list that counts to the cap, newest first, and what it says about itself."""

    path: str
    add: Callable[[int], object]
    row: re.Pattern
    many: str
    narrow: str  # what it suggests past the cap
    carried: str = ""  # what its page links carry besides the page

    def page(self, number: int, amp: str = "&") -> str:
        """The address of page `number`; with amp="&amp;" as it stands in the page's HTML."""
        carried = f"{self.carried}{amp}" if self.carried else ""
        return f"{self.path}?{carried}page={number}"


LISTS = {
    "enquiries": DeskList("/admin/enquiries", enquiries, ENQUIRY, "enquiries",
                          "Search, or show urgent or new only, to narrow them.", "show=all"),
    "bookings": DeskList("/admin/bookings", bookings, BOOKING, "bookings",
                         "Search by name or email to narrow them."),
}


@pytest.fixture(params=list(LISTS))
def listed(request) -> DeskList:
    return LISTS[request.param]


def newest(first: int, last: int) -> list[str]:
    """The names of rows `first` down to `last`, as a newest-first list shows them."""
    return [f"Patient {n}" for n in range(first, last - 1, -1)]


def names(page, pattern=ENQUIRY) -> list[str]:
    assert page.status_code == 200, page.status_code
    return pattern.findall(page.text)


def words(page) -> str:
    """The page's text as a reader sees it: no tags, one space between words."""
    return " ".join(unescape(TAG.sub("", page.text)).split())


def links(page) -> dict[str, str]:
    return {rel: unescape(href) for href, rel in PAGE_LINK.findall(page.text)}


def queries_for(client, path: str) -> int:
    # As in a real request, nothing is remembered from the one before (the signed-in user).
    db.session.expire_all()
    with statements(db.engine, "") as run:
        assert client.get(path).status_code == 200
    return len(run)


def test_up_to_the_cap_the_count_and_the_pages_are_exact(desk, listed):
    listed.add(COUNT_CAP)
    first = desk.get(listed.path)
    assert f"{CAP} {listed.many}, newest first." in words(first)
    assert "More than" not in first.text
    assert f"Page 1 of {WHOLE_PAGES}" in first.text
    assert names(first, listed.row) == newest(COUNT_CAP - 1, COUNT_CAP - PAGE_SIZE)

    last = desk.get(listed.page(WHOLE_PAGES))
    assert names(last, listed.row) == newest(PAGE_SIZE - 1, 0)
    assert f"Page {WHOLE_PAGES} of {WHOLE_PAGES}" in last.text
    assert links(last) == {"prev": listed.page(WHOLE_PAGES - 1)}

    past = desk.get(listed.page(WHOLE_PAGES + 1))
    assert past.status_code == 404
    assert (f"There is nothing on page {WHOLE_PAGES + 1}: the list has {WHOLE_PAGES} pages. "
            f"Go to page {WHOLE_PAGES}.") in words(past)
    assert f'href="{listed.page(WHOLE_PAGES, amp="&amp;")}"' in past.text
    assert listed.row.findall(past.text) == []


def test_past_the_cap_the_list_says_more_than_and_pages_on(desk, listed):
    total = COUNT_CAP + 30
    listed.add(total)
    first = desk.get(listed.path)
    assert f"More than {CAP} {listed.many}, newest first. {listed.narrow}" in words(first)
    assert "Page 1</span>" in first.text and "Page 1 of" not in first.text
    assert names(first, listed.row) == newest(total - 1, total - PAGE_SIZE)
    assert links(first) == {"next": listed.page(2)}

    second = desk.get(links(first)["next"])
    assert names(second, listed.row) == newest(total - PAGE_SIZE - 1, total - 2 * PAGE_SIZE)
    assert links(second) == {"prev": listed.page(1), "next": listed.page(3)}

    # Beyond the pages the cap could number, Older goes on to the oldest row and stops.
    beyond = desk.get(listed.page(WHOLE_PAGES + 1))
    assert names(beyond, listed.row) == newest(total - COUNT_CAP - 1,
                                               total - COUNT_CAP - PAGE_SIZE)
    oldest = desk.get(links(beyond)["next"])
    assert names(oldest, listed.row) == newest(total - COUNT_CAP - PAGE_SIZE - 1, 0)
    assert set(links(oldest)) == {"prev"}
    assert names(desk.get(links(oldest)["prev"]), listed.row) == names(beyond, listed.row)

    past = desk.get(listed.page(WHOLE_PAGES + 3))
    assert past.status_code == 404
    assert (f"There is nothing on page {WHOLE_PAGES + 3}: the list ends before it. "
            "Go to the first page.") in words(past)


def test_one_more_than_the_cap_is_more_than_the_cap(desk, listed):
    listed.add(COUNT_CAP)
    assert f"{CAP} {listed.many}" in words(desk.get(listed.path))
    listed.add(1)
    assert f"More than {CAP} {listed.many}" in words(desk.get(listed.path))


def test_a_search_under_the_cap_is_counted_exactly(desk, listed):
    listed.add(COUNT_CAP + 30)
    search = desk.get(listed.path, query_string={"q": "patient 100"})
    assert names(search, listed.row) == newest(1009, 1000) + ["Patient 100"]
    assert f"11 {listed.many}, newest first." in words(search)
    assert links(search) == {}
    assert f"No {listed.many} match." in desk.get(listed.path, query_string={"q": "nobody"}).text


def test_a_filter_under_the_cap_is_counted_exactly(desk):
    total = COUNT_CAP + 30
    enquiries(total)
    urgent = [n for n in range(total - 1, -1, -1) if n % 50 == 7]  # the seed's red flags
    page = desk.get("/admin/enquiries", query_string={"show": "urgent"})
    assert names(page) == [f"Patient {n}" for n in urgent]
    assert f"{len(urgent)} enquiries, newest first." in words(page)
    assert links(page) == {}


# Not a number, or out of the range a form accepts: the enquiry and booking lists say why
# (400); the programme list, whose filters are links, shows its first page instead.
BAD_PAGES = ["0", "-1", "100001", "99999999999999999999", "abc", "1.5", "1e3", "%00", "%E2%80%8B"]


@pytest.mark.parametrize("path", ["/admin/enquiries", "/admin/bookings", "/admin/programme"])
def test_a_bad_page_number_is_refused_and_never_a_server_error(desk, path):
    for page in BAD_PAGES:
        response = desk.get(f"{path}?page={page}")
        out_of_range = page.lstrip("-").isdigit()
        expected = 400 if out_of_range or path != "/admin/programme" else 200
        assert response.status_code == expected, (page, response.status_code)
    assert desk.get(f"{path}?page=").status_code == 200


def running_names() -> list[str]:
    return list(db.session.scalars(
        select(Enquiry.name).join(Enrolment, Enrolment.enquiry_id == Enquiry.id)
        .where(Enrolment.status.in_(("active", "paused")))
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
    ))


def test_the_programme_list_past_the_cap(desk):
    # The seed enrols about one enquiry in two, and a few of those have stopped.
    seed.programme(enquiries(2 * COUNT_CAP + 200), utcnow())
    running = running_names()
    assert len(running) > COUNT_CAP

    first = desk.get("/admin/programme")
    assert (f"More than {CAP} patients, most recently enrolled first. Choose what to show, "
            "above, to narrow them.") in words(first)
    assert names(first, PATIENT) == running[:PAGE_SIZE]
    second = desk.get(links(first)["next"])
    assert names(second, PATIENT) == running[PAGE_SIZE:2 * PAGE_SIZE]
    assert links(second)["prev"] == "/admin/programme?show=running&page=1"

    last = -(-len(running) // PAGE_SIZE)
    end = desk.get(f"/admin/programme?page={last}")
    assert names(end, PATIENT) == running[(last - 1) * PAGE_SIZE:]
    assert set(links(end)) == {"prev"}
    past = desk.get(f"/admin/programme?page={last + 1}")
    assert past.status_code == 404
    assert f"There is nothing on page {last + 1}: the list ends before it." in words(past)
    assert "Nobody here at the moment." not in past.text


def test_a_programme_filter_under_the_cap_is_counted_exactly(desk):
    seed.programme(enquiries(2 * COUNT_CAP + 200), utcnow())
    worse = db.session.scalars(
        select(Enrolment.id).where(Enrolment.status == "active")
        .order_by(Enrolment.enrolled_at).limit(3)
    ).all()
    db.session.execute(update(CheckIn).where(CheckIn.enrolment_id.in_(worse)).values(pain_score=9))
    db.session.commit()
    names_of_worse = list(db.session.scalars(
        select(Enquiry.name).join(Enrolment, Enrolment.enquiry_id == Enquiry.id)
        .where(Enrolment.id.in_(worse)).order_by(Enrolment.enrolled_at.desc())
    ))

    page = desk.get("/admin/programme?show=worse")
    assert names(page, PATIENT) == names_of_worse
    assert "3 patients, most recently enrolled first." in words(page)
    past = desk.get("/admin/programme?show=worse&page=2")
    assert past.status_code == 404
    assert "There is nothing on page 2: the list has 1 page. Go to page 1." in words(past)


def test_a_page_costs_the_same_queries_at_any_size(desk):
    paths = [
        "/admin/enquiries", "/admin/enquiries?page=2", "/admin/enquiries?show=urgent",
        "/admin/enquiries?q=patient", "/admin/programme", "/admin/programme?page=2",
        "/admin/programme?show=unanswered", "/admin/bookings", "/admin/bookings?page=2",
        "/admin/bookings?q=patient",
    ]
    seed.programme(enquiries(120), utcnow())
    bookings(120)
    few = {path: queries_for(desk, path) for path in paths}
    # The seed writes a programme for every enquiry it is given, and appointments an hour
    # apart from now, so it starts again.
    for model in (CheckIn, OutboxMessage, Enrolment, Appointment):
        db.session.execute(delete(model))
    seed.programme(enquiries(2 * COUNT_CAP + 200), utcnow())
    bookings(COUNT_CAP + 30)
    for path in ("/admin/enquiries", "/admin/programme", "/admin/bookings"):
        assert "More than" in desk.get(path).text
    assert {path: queries_for(desk, path) for path in paths} == few
