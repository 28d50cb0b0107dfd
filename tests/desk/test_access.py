"""Every desk page needs sign-in, including pages added after these tests were written."""

import pytest

from ..support.desk import FAST_HASHING, SIGN_IN

OPEN_TO_ALL = {"auth.sign_in"}


@pytest.fixture
def app_overrides():
    # Without CSRF a signed-out POST reaches the sign-in check instead of stopping earlier.
    return {**FAST_HASHING, "WTF_CSRF_ENABLED": False}


def desk_requests(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint in OPEN_TO_ALL:
            continue
        # "1" suits every converter the desk uses (int and string alike).
        path = rule.build({name: 1 for name in rule.arguments})[1]
        for method in sorted({"GET", "POST"} & rule.methods):
            yield rule.endpoint, method, path


def test_every_desk_address_sends_a_signed_out_visitor_to_sign_in(app, client):
    checked = set()
    for endpoint, method, path in desk_requests(app):
        response = client.open(path, method=method)
        assert response.status_code in (302, 303), (method, path, response.status_code)
        assert response.headers["Location"].split("?")[0] == SIGN_IN, (method, path)
        checked.add(endpoint)
    assert {
        "desk_enquiries.dashboard", "desk_enquiries.enquiries", "desk_enquiries.enquiry",
        "desk_enquiries.reply", "desk_enquiries.enquiry_status", "desk_enquiries.retry",
        "auth.sign_out",
    } <= checked
