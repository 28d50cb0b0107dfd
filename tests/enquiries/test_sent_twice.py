"""The same form sent twice (a double click, back and resend, a second tab of the same page)
makes one enquiry, and the second send is answered with the same thank-you page. The form's
one-time key does it: unique on the enquiry, so even two sends at the same moment meet.
(Exercises are left unticked: the counts are then the enquiry and its two emails.)"""

import pytest

from ..conftest import form_tokens
from ..support.enquiries import row_counts, valid_answers
from ..support.sent_twice import racing_sends
from .pages import parse


def test_the_same_form_sent_twice_makes_one_enquiry_and_the_same_thank_you(client):
    sent = {**form_tokens(client.get("/enquire").text), **valid_answers(consent_followup=None)}
    first = client.post("/enquire", data=sent)
    thanks = client.get(first.headers["Location"]).text
    again = client.post("/enquire", data={**sent, "message": "Changed my mind about this."})
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert client.get(again.headers["Location"]).text == thanks
    assert row_counts() == {"enquiries": 1, "outbox": 2}


def test_a_new_form_is_a_new_enquiry(client):
    for _ in range(2):
        sent = {**form_tokens(client.get("/enquire").text), **valid_answers(consent_followup=None)}
        assert client.post("/enquire", data=sent).status_code == 303
    assert row_counts() == {"enquiries": 2, "outbox": 4}


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "not/a/key/at/all/1234"])
def test_a_form_without_its_key_is_sent_back_with_a_new_one(client, key):
    sent = {**form_tokens(client.get("/enquire").text), **valid_answers(), "submission_key": key}
    response = client.post("/enquire", data=sent)
    assert response.status_code == 400
    assert "Please send it again" in response.text
    assert 'value="Sam Patel"' in response.text
    issued = parse(response.text).find("input", name="submission_key")["value"]
    assert issued and issued != key
    assert row_counts() == {"enquiries": 0, "outbox": 0}
    resent = client.post("/enquire", data={**form_tokens(response.text), **valid_answers()})
    assert resent.status_code == 303


@pytest.mark.postgres
def test_two_sends_at_the_same_moment_make_one_enquiry(app, client):
    """Two real connections: the first send has written its enquiry and not yet committed;
    the second waits on the unique key, then fails on it, and answers as the first did."""
    sent = {**form_tokens(client.get("/enquire").text), **valid_answers(consent_followup=None)}
    (first, first_page), (second, second_page) = racing_sends(app, client, "/enquire", sent)
    assert (first, second) == (303, 303)
    assert "Thank you, we have your enquiry" in first_page and first_page == second_page
    assert row_counts() == {"enquiries": 1, "outbox": 2}
