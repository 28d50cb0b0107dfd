"""One enquiry on the desk: every answer in the form's words, red flags first, its status."""

from sqlalchemy import select

from app.models import Enquiry

from ...conftest import form_tokens
from ...support.desk import add_enquiry, desk_counts


def status_of(db, enquiry_id: int) -> str:
    db.session.expire_all()
    return db.session.execute(
        select(Enquiry.status).where(Enquiry.id == enquiry_id)
    ).scalar_one()


def test_answers_are_shown_in_the_words_of_the_form(desk, db):
    enquiry = add_enquiry("Sam Patel", "sam@example.org")
    page = desk.get(f"/admin/enquiries/{enquiry.id}")
    assert page.status_code == 200
    for words in (
        "Back pain", "6 weeks to 3 months", "Sitting for a long time", "Lower back",
        "Worse in the mornings.", "sam@example.org", "not given",
        "None of these apply",
    ):
        assert words in page.text, words
    assert 'id="red-flags"' not in page.text


def test_red_flags_are_listed_prominently(desk):
    enquiry = add_enquiry(red_flags=["both_legs", "fever"])
    page = desk.get(f"/admin/enquiries/{enquiry.id}").text
    callout = page.split('id="red-flags"', 1)[1].split("</div>", 1)[0]
    assert "Emergency symptoms" in callout
    assert "call 999 or go to A&amp;E" in callout
    assert "Numbness, tingling, weakness or pain in both legs" in callout
    assert "A high temperature, or feeling hot and shivery" in callout
    assert page.index('id="red-flags"') < page.index("Their answers")


def test_opening_a_new_enquiry_marks_it_read_and_no_other(desk, db):
    fresh = add_enquiry()
    answered = add_enquiry(status="replied")
    desk.get(f"/admin/enquiries/{fresh.id}")
    desk.get(f"/admin/enquiries/{answered.id}")
    assert status_of(db, fresh.id) == "read"
    assert status_of(db, answered.id) == "replied"


def test_an_unknown_enquiry_is_a_404_page(desk):
    page = desk.get("/admin/enquiries/424242")
    assert page.status_code == 404
    assert "Page not found" in page.text


def test_the_status_can_be_set(desk, db):
    enquiry = add_enquiry()
    page = desk.get(f"/admin/enquiries/{enquiry.id}")
    response = desk.post(
        f"/admin/enquiries/{enquiry.id}/status", data={**form_tokens(page.text), "status": "closed"}
    )
    assert response.status_code == 303
    assert status_of(db, enquiry.id) == "closed"
    assert "Marked as: Closed." in desk.get(response.headers["Location"]).text


def test_bad_status_changes_change_nothing(desk, db):
    enquiry = add_enquiry()
    page = desk.get(f"/admin/enquiries/{enquiry.id}")
    tokens = form_tokens(page.text)
    before = desk_counts()
    action = f"/admin/enquiries/{enquiry.id}/status"
    assert desk.post(action, data={"status": "closed"}).status_code == 400
    assert desk.post(action, data={**tokens, "status": "deleted"}).status_code == 400
    missing = desk.post("/admin/enquiries/424242/status", data={**tokens, "status": "closed"})
    assert missing.status_code == 404
    assert desk_counts() == before
