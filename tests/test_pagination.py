"""The desk's long lists, enquiries and the programme: an exact count and "Page x of y" up to
COUNT_CAP matching rows, "more than" with Newer and Older beyond it, and the same queries for a
page however many rows there are."""

import re
from datetime import timedelta
from html import unescape

from sqlalchemy import delete, event, select, update

from app.admin.service import PAGE_SIZE
from app.extensions import db
from app.models import CheckIn, Enquiry, Enrolment, OutboxMessage
from app.pagination import COUNT_CAP
from app.timeutil import utcnow

from .benchmarks import seed

ENQUIRY = re.compile(r'href="/admin/enquiries/\d+">([^<]+)</a>')
PATIENT = re.compile(r'href="/admin/patients/\d+">([^<]+)</a>')
PAGE_LINK = re.compile(r'<a href="([^"]+)" rel="(next|prev)">')
TAG = re.compile(r"<[^>]+>")
CAP = f"{COUNT_CAP:,}"
WHOLE_PAGES = COUNT_CAP // PAGE_SIZE


def enquiries(count: int) -> list:
    """`count` more enquiries an hour apart, named "Patient <n>" from the oldest, n = 0."""
    return seed.enquiries(count, utcnow(), timedelta(hours=1))


def newest(first: int, last: int) -> list[str]:
    """The names of enquiries `first` down to `last`, as a newest-first list shows them."""
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
    statements = []

    def count(*args):
        statements.append(args[2])

    # As in a real request, nothing is remembered from the one before (the signed-in user).
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_up_to_the_cap_the_count_and_the_pages_are_exact(desk):
    enquiries(COUNT_CAP)
    first = desk.get("/admin/enquiries")
    assert f"{CAP} enquiries, newest first." in words(first)
    assert "More than" not in first.text
    assert f"Page 1 of {WHOLE_PAGES}" in first.text
    assert names(first) == newest(COUNT_CAP - 1, COUNT_CAP - PAGE_SIZE)

    last = desk.get(f"/admin/enquiries?page={WHOLE_PAGES}")
    assert names(last) == newest(PAGE_SIZE - 1, 0)
    assert f"Page {WHOLE_PAGES} of {WHOLE_PAGES}" in last.text
    assert links(last) == {"prev": f"/admin/enquiries?show=all&page={WHOLE_PAGES - 1}"}

    past = desk.get(f"/admin/enquiries?page={WHOLE_PAGES + 1}")
    assert past.status_code == 404
    assert (f"There is nothing on page {WHOLE_PAGES + 1}: the list has {WHOLE_PAGES} pages. "
            f"Go to page {WHOLE_PAGES}.") in words(past)
    assert f'href="/admin/enquiries?show=all&amp;page={WHOLE_PAGES}"' in past.text
    assert ENQUIRY.findall(past.text) == []


def test_past_the_cap_the_list_says_more_than_and_pages_on(desk):
    total = COUNT_CAP + 30
    enquiries(total)
    first = desk.get("/admin/enquiries")
    assert (f"More than {CAP} enquiries, newest first. Search, or show urgent or new only, "
            "to narrow them.") in words(first)
    assert "Page 1</span>" in first.text and "Page 1 of" not in first.text
    assert names(first) == newest(total - 1, total - PAGE_SIZE)
    assert links(first) == {"next": "/admin/enquiries?show=all&page=2"}

    second = desk.get(links(first)["next"])
    assert names(second) == newest(total - PAGE_SIZE - 1, total - 2 * PAGE_SIZE)
    assert links(second) == {
        "prev": "/admin/enquiries?show=all&page=1", "next": "/admin/enquiries?show=all&page=3"
    }

    # Beyond the pages the cap could number, Older goes on to the oldest enquiry and stops.
    beyond = desk.get(f"/admin/enquiries?page={WHOLE_PAGES + 1}")
    assert names(beyond) == newest(total - COUNT_CAP - 1, total - COUNT_CAP - PAGE_SIZE)
    oldest = desk.get(links(beyond)["next"])
    assert names(oldest) == newest(total - COUNT_CAP - PAGE_SIZE - 1, 0)
    assert set(links(oldest)) == {"prev"}
    assert names(desk.get(links(oldest)["prev"])) == names(beyond)

    past = desk.get(f"/admin/enquiries?page={WHOLE_PAGES + 3}")
    assert past.status_code == 404
    assert (f"There is nothing on page {WHOLE_PAGES + 3}: the list ends before it. "
            "Go to the first page.") in words(past)


def test_one_more_than_the_cap_is_more_than_the_cap(desk):
    enquiries(COUNT_CAP)
    assert f"{CAP} enquiries" in words(desk.get("/admin/enquiries"))
    enquiries(1)
    assert f"More than {CAP} enquiries" in words(desk.get("/admin/enquiries"))


def test_a_search_or_a_filter_under_the_cap_is_counted_exactly(desk):
    total = COUNT_CAP + 30
    enquiries(total)
    urgent = [n for n in range(total - 1, -1, -1) if n % 50 == 7]  # the seed's red flags
    page = desk.get("/admin/enquiries", query_string={"show": "urgent"})
    assert names(page) == [f"Patient {n}" for n in urgent]
    assert f"{len(urgent)} enquiries, newest first." in words(page)
    assert links(page) == {}

    search = desk.get("/admin/enquiries", query_string={"q": "patient 100"})
    assert names(search) == newest(1009, 1000) + ["Patient 100"]
    assert "11 enquiries, newest first." in words(search)


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
        "/admin/programme?show=unanswered",
    ]
    seed.programme(enquiries(120), utcnow())
    few = {path: queries_for(desk, path) for path in paths}
    # The seed writes a programme for every enquiry it is given, so it starts again.
    for model in (CheckIn, OutboxMessage, Enrolment):
        db.session.execute(delete(model))
    seed.programme(enquiries(2 * COUNT_CAP + 200), utcnow())
    assert "More than" in desk.get("/admin/enquiries").text
    assert "More than" in desk.get("/admin/programme").text
    assert {path: queries_for(desk, path) for path in paths} == few
