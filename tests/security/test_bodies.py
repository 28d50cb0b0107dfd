"""The site takes HTML forms: a JSON body anywhere is a clear 415 and changes nothing."""

import pytest
from sqlalchemy import func, select

from app.models import Appointment, Enquiry

# The forms that check their own CSRF token, or need none: the app-wide check answers the
# others (a 400) before any form reads the body.
PATHS = ["/enquire", "/book", "/booking/not-a-token/cancel", "/programme/unsubscribe/x"]


def rows(db) -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Enquiry)),
            db.session.scalar(select(func.count()).select_from(Appointment)))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("body", ["1", "[1]", '"x"', "true", "null", '{"name": "Ana"}'])
def test_a_json_body_is_refused_with_a_clear_page(client, db, path, body):
    before = rows(db)
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 415
    assert "We could not accept that" in response.text
    assert rows(db) == before
