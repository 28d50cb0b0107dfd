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
