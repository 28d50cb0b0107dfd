"""The diary's calendar address on the desk: issued, shown again, re-issued and stopped from
the diary settings page, each on the audit log."""

import re

import pytest
from sqlalchemy import select

from app.models import CalendarFeed
from app.models.privacy import AuditEntry

from ...bookings.helpers import path_of
from ...support.clock import AN_ORDINARY_MORNING
from ...support.desk import post_form

pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

SETTINGS = "/admin/settings/diary"
ISSUE = f"{SETTINGS}/calendar"
STOP = f"{SETTINGS}/calendar/stop"
ADDRESS = re.compile(r'id="calendar-address"[^>]*value="([^"]+)"')


def shown_address(desk) -> str | None:
    found = ADDRESS.search(desk.get(SETTINGS).text)
    return found.group(1) if found else None


def audit_details(db) -> list[str]:
    return list(db.session.execute(
        select(AuditEntry.detail).where(AuditEntry.subject_type == "calendar_feed")
        .order_by(AuditEntry.id)
    ).scalars())


def test_the_osteopath_issues_sees_reissues_and_stops_the_address(desk, client, db):
    assert "No calendar address has been issued." in desk.get(SETTINGS).text
    issued = post_form(desk, SETTINGS, ISSUE)
    assert issued.status_code == 303 and issued.headers["Location"].endswith("#calendar")
    first = shown_address(desk)
    assert first and first.startswith("http") and first.endswith(".ics")
    assert shown_address(desk) == first  # the same address, to copy again
    assert "webcal://" + first.split("://", 1)[1] in desk.get(SETTINGS).text
    outsider = client.application.test_client()
    assert outsider.get(path_of(first)).status_code == 200

    post_form(desk, SETTINGS, ISSUE)
    second = shown_address(desk)
    assert second != first
    assert outsider.get(path_of(first)).status_code == 404
    assert outsider.get(path_of(second)).status_code == 200

    stopped = post_form(desk, SETTINGS, STOP)
    assert stopped.status_code == 303
    page = desk.get(SETTINGS).text
    assert "The calendar address has stopped working." in page
    assert shown_address(desk) is None
    assert outsider.get(path_of(second)).status_code == 404
    assert db.session.execute(select(CalendarFeed)).first() is None
    assert audit_details(db) == ["issued", "reissued", "revoked"]


def test_stopping_when_there_is_no_address_says_so(desk, db):
    response = post_form(desk, SETTINGS, STOP)
    assert response.status_code == 303
    assert "There is no calendar address to stop." in desk.get(SETTINGS).text
    assert audit_details(db) == []


@pytest.mark.parametrize("action", [ISSUE, STOP])
def test_a_post_without_the_forms_token_changes_nothing(desk, db, action):
    post_form(desk, SETTINGS, ISSUE)
    before = db.session.execute(select(CalendarFeed.secret_hash)).scalars().all()
    response = desk.post(action, data={})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.execute(select(CalendarFeed.secret_hash)).scalars().all() == before
    assert audit_details(db) == ["issued"]


def test_signed_out_nobody_can_issue_an_address(client, db):
    response = client.post(ISSUE, data={})
    assert response.status_code in (302, 303, 400)
    assert db.session.execute(select(CalendarFeed)).first() is None
