"""Finding enquiries: search by name or email, filter, and page through them."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from ...support.desk import add_enquiry

START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
LINK = re.compile(r'href="/admin/enquiries/\d+">([^<]+)</a>')


def names_on(page) -> list[str]:
    assert page.status_code == 200, page.status_code
    return LINK.findall(page.text)


@pytest.fixture
def some_enquiries(app):
    add_enquiry("Sam Patel", "sam@example.org", created_at=START)
    add_enquiry("Alex Brown", "alex.b@example.net", red_flags=["fever"],
                created_at=START + timedelta(days=1))
    add_enquiry("Jo Samuels", "jo@example.com", status="read",
                created_at=START + timedelta(days=2))
    add_enquiry("Pat 100% Real", "pat@example.com", created_at=START + timedelta(days=3))


def test_all_enquiries_newest_first_with_urgent_marked(desk, some_enquiries):
    page = desk.get("/admin/enquiries")
    assert names_on(page) == ["Pat 100% Real", "Jo Samuels", "Alex Brown", "Sam Patel"]
    row = page.text.split("Alex Brown", 1)[1].split("</tr>", 1)[0]
    assert "Urgent: told 111 / GP today" in row
    assert "4 enquiries, newest first." in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "sam"}, ["Jo Samuels", "Sam Patel"]),
        ({"q": "EXAMPLE.NET"}, ["Alex Brown"]),
        ({"q": "100%"}, ["Pat 100% Real"]),
        ({"q": "%"}, ["Pat 100% Real"]),
        ({"q": "_"}, []),
        ({"show": "urgent"}, ["Alex Brown"]),
        ({"show": "new"}, ["Pat 100% Real", "Alex Brown", "Sam Patel"]),
        ({"q": "sam", "show": "new"}, ["Sam Patel"]),
    ],
)
def test_search_and_filter(desk, some_enquiries, query, expected):
    assert names_on(desk.get("/admin/enquiries", query_string=query)) == expected


def test_no_match_says_so(desk, some_enquiries):
    page = desk.get("/admin/enquiries", query_string={"q": "nobody"})
    assert "No enquiries match." in page.text


def test_pages_of_twenty_five(desk):
    for n in range(30):
        add_enquiry(f"Patient {n:02d}", f"p{n}@example.org", created_at=START + timedelta(hours=n))
    first = desk.get("/admin/enquiries", query_string={"q": "patient"})
    assert names_on(first) == [f"Patient {n:02d}" for n in range(29, 4, -1)]
    assert "Page 1 of 2" in first.text
    assert 'href="/admin/enquiries?q=patient&amp;show=all&amp;page=2" rel="next"' in first.text
    second = desk.get("/admin/enquiries", query_string={"q": "patient", "page": 2})
    assert names_on(second) == [f"Patient {n:02d}" for n in range(4, -1, -1)]
    assert 'rel="next"' not in second.text
    past = desk.get("/admin/enquiries", query_string={"q": "patient", "page": 3})
    assert past.status_code == 404
    assert "There is nothing on page 3: the list has 2 pages." in past.text
    assert 'href="/admin/enquiries?q=patient&amp;show=all&amp;page=2">Go to page 2</a>' in past.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"q": "x" * 101}, "Search for at most 100 characters."),
        ({"q": "a\nb"}, "Use a single line of ordinary text."),
        ({"show": "everything"}, "Not a valid choice"),
        ({"page": "0"}, "No such page."),
        ({"page": "-1"}, "No such page."),
        ({"page": "100001"}, "No such page."),
        ({"page": "two"}, "Not a valid integer value"),
    ],
)
def test_bad_searches_are_explained(desk, some_enquiries, query, message):
    page = desk.get("/admin/enquiries", query_string=query)
    assert page.status_code == 400
    assert message in page.text
    assert LINK.findall(page.text) == []
