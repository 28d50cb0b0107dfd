"""The desk's enquiry page lists every answer the model labels, in the model's order."""

import pytest

from app.extensions import db
from app.models import Enquiry
from app.models.types import labelled_columns

from ...support.clock import AN_ORDINARY_MORNING
from ...support.desk import add_enquiry

pytestmark = pytest.mark.time_machine(AN_ORDINARY_MORNING)


def test_every_labelled_answer_is_listed_in_order(desk):
    enquiry = add_enquiry()
    enquiry.trigger_other = "Stairs"
    enquiry.source_ref = "hip-strength"
    db.session.commit()
    page = desk.get(f"/admin/enquiries/{enquiry.id}").text
    answers = page.split("<h2>Their answers</h2>", 1)[1].split("</dl>", 1)[0]
    places = [answers.find(f"<dt>{label}</dt>") for _, label in labelled_columns(Enquiry)]
    assert -1 not in places
    assert places == sorted(places)


def test_an_empty_optional_answer_is_left_out(desk):
    enquiry = add_enquiry()
    page = desk.get(f"/admin/enquiries/{enquiry.id}").text
    assert "<dt>Came from the article</dt>" not in page
    assert "<dt>Anything else that brings it on</dt>" not in page


@pytest.mark.parametrize(
    ("stored", "shown"),
    [(True, "Yes"), (False, "No"), (["stairs", "sitting"], "stairs, sitting"), ([], "None"),
     (7, "7"), ("lower back", "lower back"),
     (AN_ORDINARY_MORNING, "12 January 2027, 10:00")],
)
def test_an_answer_the_page_lists_without_a_line_of_its_own_reads_as_a_person_would(
    app, stored, shown
):
    from app.templating import as_answer

    assert as_answer(stored) == shown
