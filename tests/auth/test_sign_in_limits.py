"""Failed sign-ins are limited per address and per account; the limit answers 429."""

import pytest

from ..support.desk import FAST_HASHING, PASSWORD, STAFF_EMAIL, sign_in

WRONG = "not the password at all"


@pytest.fixture
def app_overrides():
    return {**FAST_HASHING, "RATELIMIT_ENABLED": True, "SIGNIN_RATE_LIMIT": "3 per 15 minutes"}


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_one_address_is_stopped_after_too_many_failures(app, staff):
    client = client_at(app, "203.0.113.7")
    for n in range(3):
        assert sign_in(client, f"guess{n}@clinic.example", WRONG).status_code == 400
    blocked = sign_in(client, STAFF_EMAIL, PASSWORD)
    assert blocked.status_code == 429
    assert "Too many tries" in blocked.text
    assert client.get("/admin/").status_code == 302
    # Someone else, somewhere else, is not affected.
    assert sign_in(client_at(app, "198.51.100.1")).status_code == 303


def test_one_account_is_stopped_after_failures_from_many_addresses(app, staff):
    for n in range(3):
        client = client_at(app, f"203.0.113.{n + 1}")
        assert sign_in(client, STAFF_EMAIL.upper(), WRONG).status_code == 400
    assert sign_in(client_at(app, "198.51.100.1")).status_code == 429


def test_successful_sign_ins_do_not_use_up_the_tries(app, staff):
    client = client_at(app, "203.0.113.9")
    for _ in range(5):
        assert sign_in(client).status_code == 303
        with client.session_transaction() as session:
            session.clear()
    assert sign_in(client, password=WRONG).status_code == 400
