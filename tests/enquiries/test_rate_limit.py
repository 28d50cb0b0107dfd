"""Too many posts from one address are turned away with a clear page; reading the form is not."""

import pytest

from ..support.enquiries import post_enquiry, row_counts
from .pages import main_of, words


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "ENQUIRY_RATE_LIMIT": "2 per minute"}


def test_posts_over_the_limit_get_a_clear_429(client):
    assert [post_enquiry(client).status_code for _ in range(2)] == [303, 303]

    response = post_enquiry(client)

    assert response.status_code == 429
    main = words(main_of(response.text).text)
    assert "too many tries" in main
    assert "call us" in main
    assert row_counts()["enquiries"] == 2


def test_reading_the_form_is_not_limited(client):
    assert {client.get("/enquire").status_code for _ in range(5)} == {200}
    # GETs used none of the allowance: both posts still go through.
    assert [post_enquiry(client).status_code for _ in range(2)] == [303, 303]
