"""Signing in and out of the desk."""

import pytest

from app.models import StaffUser

from ..conftest import form_tokens
from ..support.desk import PASSWORD, SIGN_IN, STAFF_EMAIL, sign_in

NOT_RECOGNISED = "Email or password not recognised"


def signed_in_id(client):
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_the_right_password_signs_in_and_opens_the_desk(client, staff, db):
    response = sign_in(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert STAFF_EMAIL in page.text
    db.session.expire_all()
    assert db.session.get(StaffUser, staff.id).last_sign_in_at is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [(STAFF_EMAIL, "not the password"), ("nobody@clinic.example", PASSWORD), ("", "")],
    ids=["wrong-password", "unknown-account", "empty"],
)
def test_a_failed_sign_in_says_little_and_signs_nobody_in(client, staff, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 400
    if email:
        assert NOT_RECOGNISED in response.text
    assert signed_in_id(client) is None
    assert client.get("/admin/").status_code == 302


def test_a_disabled_account_cannot_sign_in(client, staff, db):
    staff.active = False
    db.session.commit()
    response = sign_in(client)
    assert response.status_code == 400
    assert NOT_RECOGNISED in response.text


def test_an_over_long_password_is_refused_without_checking(client, staff):
    response = sign_in(client, password="x" * 300)
    assert response.status_code == 400
    assert "That password is too long." in response.text
    assert signed_in_id(client) is None


def test_sign_in_without_the_csrf_token_is_refused(client, staff):
    response = client.post(SIGN_IN, data={"email": STAFF_EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert signed_in_id(client) is None


def test_signing_in_starts_a_fresh_session(client, staff):
    with client.session_transaction() as session:
        session["planted_before_sign_in"] = "attacker's value"
    assert sign_in(client).status_code == 303
    with client.session_transaction() as session:
        assert "planted_before_sign_in" not in session
        assert "_user_id" in session


def test_a_desk_page_asked_for_before_signing_in_is_shown_after(client, staff):
    response = client.get("/admin/enquiries?show=new")
    assert response.status_code == 302
    sign_in_page = response.headers["Location"]
    assert sign_in_page.startswith(SIGN_IN + "?next=")
    response = sign_in(client, path=sign_in_page)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/enquiries?show=new"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/admin/",
        "//evil.example/admin/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/admin/\r\nSet-Cookie: x=1",
        "admin/enquiries",
    ],
)
def test_a_next_address_off_this_site_is_ignored(client, staff, target):
    page = client.get(SIGN_IN, query_string={"next": target})
    response = client.post(
        SIGN_IN,
        query_string={"next": target},
        data={**form_tokens(page.text), "email": STAFF_EMAIL, "password": PASSWORD},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"


def test_signing_out_ends_the_session(desk):
    page = desk.get("/admin/")
    response = desk.post("/admin/sign-out", data=form_tokens(page.text))
    assert response.status_code == 303
    assert response.headers["Location"] == SIGN_IN
    assert "You have signed out." in desk.get(SIGN_IN).text
    assert desk.get("/admin/").status_code == 302


def test_signing_out_needs_the_csrf_token(desk):
    assert desk.post("/admin/sign-out").status_code == 400
    assert desk.get("/admin/").status_code == 200


def test_signing_out_everywhere_ends_other_sessions(app, desk, staff):
    other_device = app.test_client()
    assert sign_in(other_device).status_code == 303
    page = desk.get("/admin/")
    response = desk.post("/admin/sign-out-everywhere", data=form_tokens(page.text))
    assert response.status_code == 303
    assert desk.get("/admin/").status_code == 302
    assert other_device.get("/admin/").status_code == 302
    assert sign_in(other_device).status_code == 303


def test_signing_in_again_while_signed_in_goes_to_the_desk(desk):
    response = desk.get(SIGN_IN)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_the_sign_in_page_is_served(client):
    page = client.get(SIGN_IN)
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.text
    assert 'autocomplete="current-password"' in page.text
