"""A person's data exported from the desk, then erased from every table."""

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Enquiry, OutboxMessage
from app.models.outbox import PENDING
from app.models.privacy import AuditEntry

from ..support.clock import AN_ORDINARY_MORNING
from ..support.desk import post_form
from .helpers import EMAIL, MESSAGE, NAME, PHONE_E164, person_everywhere, traces

# The person books a free slot, and free slots are laid out from the clock's now.
pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)

PRIVACY = "/admin/privacy/"


def _pending_for_them() -> list[OutboxMessage]:
    return [m for m in db.session.execute(
        select(OutboxMessage).where(OutboxMessage.status == PENDING)).scalars()
        if EMAIL in (m.recipient, m.reply_to) or NAME in m.subject]


def test_export_gathers_everything_then_erasure_leaves_no_trace(desk):
    enquiry_id, appointment_id = person_everywhere(desk)
    assert _pending_for_them(), "the scenario should have emails waiting"
    assert traces(NAME, EMAIL, PHONE_E164)

    page = post_form(desk, PRIVACY, "/admin/privacy/person", email=EMAIL.upper())
    assert page.status_code == 200
    assert MESSAGE in page.text and "Week 2" in page.text

    exported = post_form(desk, PRIVACY, "/admin/privacy/export.json", email=EMAIL)
    assert exported.mimetype == "application/json"
    assert "attachment" in exported.headers["Content-Disposition"]
    data = json.loads(exported.text)
    (enquiry,) = data["enquiries"]
    assert enquiry["name"] == NAME and enquiry["phone"] == PHONE_E164
    assert enquiry["consent"]["wording_version"] and enquiry["consent"]["given_at"]
    assert enquiry["replies"][0]["subject"] == f"For {NAME}"
    assert enquiry["programme"]["check_ins"][0]["week"] == 2
    assert [a["number"] for a in data["appointments"]] == [appointment_id]
    assert {m["status"] for m in data["emails"]} >= {PENDING}

    refused = post_form(desk, PRIVACY, "/admin/privacy/erase", email=EMAIL,
                        confirm="someone.else@example.org")
    assert refused.status_code == 303 and traces(NAME)

    erased = post_form(desk, PRIVACY, "/admin/privacy/erase", email=EMAIL, confirm=EMAIL)
    assert erased.status_code == 303
    db.session.expire_all()
    assert traces(NAME, EMAIL, PHONE_E164, MESSAGE, "zofia") == []
    assert _pending_for_them() == []
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.status == PENDING)) \
        is None

    actions = [e.action for e in db.session.execute(
        select(AuditEntry).order_by(AuditEntry.id)).scalars()]
    assert {"view", "export", "erase"} <= set(actions)
    assert actions.index("export") < actions.index("erase")
    # The log says an erasure happened, and how much, with nothing about who it was.
    erase_entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "erase")).scalar_one()
    assert erase_entry.detail.startswith("1 enquiries, 1 appointments")
    assert erase_entry.staff_email == "osteopath@clinic.example"
    assert "Nothing" in post_form(desk, PRIVACY, "/admin/privacy/person", email=EMAIL).text


def test_erasing_someone_leaves_others_alone(desk):
    from ..support.desk import add_enquiry

    other_id = add_enquiry(name="Otto Keep", email="otto@example.org").id
    person_everywhere(desk)
    post_form(desk, PRIVACY, "/admin/privacy/erase", email=EMAIL, confirm=EMAIL)
    db.session.expire_all()
    assert traces("Otto Keep") and db.session.get(Enquiry, other_id) is not None


def test_the_privacy_pages_need_a_valid_address(desk):
    response = post_form(desk, PRIVACY, "/admin/privacy/person", email="not an address")
    assert response.status_code == 400
