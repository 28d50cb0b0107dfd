"""The enquiries a group of messages is about are loaded in one query, as they are then."""

from sqlalchemy import select

from app.enquiries.service import submit_enquiry
from app.models import Enquiry
from app.outbox.registry import preload

from ..support.outbox import outbox_rows, statements, submission


def test_a_groups_enquiries_come_in_one_query_and_get_finds_them_without_another(app, db):
    ids = [submit_enquiry(submission(email=f"patient-{n}@example.org")).id for n in range(3)]
    rows = outbox_rows()  # each enquiry's acknowledgement and notification
    assert len(rows) == 6

    with statements(db.engine, "SELECT") as seen:
        loaded = preload(rows)
        assert sorted(enquiry.id for enquiry in loaded) == ids
        assert len(seen) == 1
        found = [db.session.get(Enquiry, enquiry_id) for enquiry_id in ids]
        assert len(seen) == 1
    assert found == sorted(loaded, key=lambda enquiry: enquiry.id)
    db.session.rollback()


def test_an_enquiry_deleted_before_its_group_is_loaded_is_not_found(app, db):
    """So the builder finds nothing, and its messages are cancelled, not sent."""
    kept, gone = (submit_enquiry(submission(email=f"patient-{n}@example.org")).id for n in "ab")
    rows = outbox_rows()
    db.session.delete(db.session.execute(select(Enquiry).where(Enquiry.id == gone)).scalar_one())
    db.session.commit()

    loaded = preload(rows)
    assert [enquiry.id for enquiry in loaded] == [kept]
    assert db.session.get(Enquiry, gone) is None
    db.session.rollback()
