"""The new desk pages (privacy, sign-in security) need sign-in like every other; the full
sweep of every /admin address is tests/desk/test_access.py."""

import pytest

from ..desk.test_access import desk_requests
from ..support.desk import FAST_HASHING, SIGN_IN


@pytest.fixture
def app_overrides():
    return {**FAST_HASHING, "WTF_CSRF_ENABLED": False}


def test_privacy_and_two_factor_pages_send_a_signed_out_visitor_to_sign_in(app, client):
    checked = set()
    for endpoint, method, path in desk_requests(app):
        if not endpoint.startswith(("desk_privacy.", "desk_two_factor.")):
            continue
        response = client.open(path, method=method)
        assert response.status_code in (302, 303), (method, path)
        assert response.headers["Location"].split("?")[0] == SIGN_IN
        checked.add(endpoint)
    assert {"desk_privacy.index", "desk_privacy.person", "desk_privacy.export_json",
            "desk_privacy.erase", "desk_two_factor.settings", "desk_two_factor.start",
            "desk_two_factor.setup", "desk_two_factor.turn_off"} <= checked
