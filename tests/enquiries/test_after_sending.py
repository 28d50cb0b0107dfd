"""Post/Redirect/Get: a sent enquiry is answered with a redirect to a page that says what
happens next, and the article a person came from is remembered when it is plainly named."""

import pytest
from sqlalchemy import select

from app.models import Enquiry

from ..conftest import form_tokens
from ..support.enquiries import post_enquiry, valid_answers
from .pages import main_of, parse, words

APPOINTMENT = "you asked for an appointment"


@pytest.mark.parametrize("wants_appointment", ["y", None], ids=["appointment", "no-appointment"])
def test_good_post_redirects_to_a_page_saying_what_happens_next(wants_appointment, client):
    response = post_enquiry(client, wants_appointment=wants_appointment)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/enquire/thanks")

    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    main = words(main_of(thanks.text).text)
    assert "thank you, we have your enquiry" in main
    assert "what happens next" in main
    assert "usually within two working days" in main
    assert (APPOINTMENT in main) is bool(wants_appointment)
    # Reloading the page (as phones do on waking) shows the same thing, not an error.
    assert client.get("/enquire/thanks").text == thanks.text


EXERCISES = ("we have emailed you a link to confirm your address, and your exercises start "
             "when you press it")


@pytest.mark.parametrize(
    ("answers", "promised"),
    [({}, True), ({"consent_followup": None}, False), ({"red_flags": ["fever"]}, False)],
    ids=["exercises", "no-exercises", "red-flag"],
)
def test_the_page_says_the_exercises_wait_for_the_confirmation_link(client, answers, promised):
    response = post_enquiry(client, **answers)
    main = words(main_of(client.get(response.headers["Location"]).text).text)
    assert (EXERCISES in main) is promised


def test_thanks_without_an_enquiry_goes_to_the_form(client):
    response = client.get("/enquire/thanks")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/enquire")


@pytest.mark.parametrize(
    "ref", ["ways-to-avoid-back-pain-part-2", "part-1", "a" * 64], ids=["article", "short", "64"]
)
def test_article_reference_is_stored(ref, client, db):
    form = parse(client.get(f"/enquire?ref={ref}").text)
    assert form.find("input", name="ref")["value"] == ref
    assert post_enquiry(client, path=f"/enquire?ref={ref}").status_code == 303
    assert db.session.execute(select(Enquiry.source_ref)).scalar_one() == ref


JUNK = {
    "too-long": "a" * 65,
    "spaces": "back pain",
    "markup": "<script>alert(1)</script>",
    "capitals": "Back-Pain",
    "path": "../../admin",
    "quote": 'part-2"onfocus="x',
}


@pytest.mark.parametrize("junk", JUNK.values(), ids=JUNK.keys())
def test_junk_article_reference_is_dropped_quietly(junk, client, db):
    page = client.get("/enquire", query_string={"ref": junk})
    assert page.status_code == 200
    assert parse(page.text).find("input", name="ref")["value"] == ""
    assert junk not in page.text

    # Sent straight in the form, too, it is dropped without troubling the person.
    tokens = {**form_tokens(page.text), "ref": junk}
    response = client.post("/enquire", data={**tokens, **valid_answers()})
    assert response.status_code == 303
    assert db.session.execute(select(Enquiry.source_ref)).scalar_one() is None
