"""Security headers on every response of every route, signed in or not."""

import re
from pathlib import Path

import pytest

from app.bookings.links import book_from_enquiry_token
from app.enquiries.service import submit_enquiry
from app.security import CONTENT_SECURITY_POLICY, EMAIL_PREVIEW_ENDPOINTS, PREVIEW_POLICY

from ..support.desk import sign_in
from ..support.enquiries import post_enquiry
from ..support.outbox import submission
from .routes import all_requests

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FIXED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def assert_secure_headers(response, endpoint: str) -> None:
    for name, value in FIXED.items():
        assert response.headers.get(name) == value, (endpoint, name)
    expected = PREVIEW_POLICY if endpoint in EMAIL_PREVIEW_ENDPOINTS else CONTENT_SECURITY_POLICY
    assert response.headers["Content-Security-Policy"] == expected, endpoint
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_the_policy_allows_nothing_inline():
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "img-src 'self' data:", "frame-ancestors 'none'", "form-action 'self'",
                      "base-uri 'none'", "object-src 'none'"):
        assert directive in CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    # Previews relax inline style attributes only, never script or <style> elements.
    assert PREVIEW_POLICY.replace(CONTENT_SECURITY_POLICY, "") == (
        "; style-src-attr 'unsafe-inline'"
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_route_sends_the_security_headers(app, client, staff, signed_in):
    if signed_in:
        assert sign_in(client).status_code == 303
    seen = set()
    for endpoint, method, path in all_requests(app):
        if endpoint in {"auth.sign_out", "auth.sign_out_all_devices"}:
            continue  # would end the session the rest of the loop needs
        response = client.open(path, method=method)
        assert_secure_headers(response, endpoint)
        assert_cached_only_if_static(response, endpoint)
        seen.add(endpoint)
    assert {"enquiries.enquire", "programme.checkin", "bookings.manage", "static"} <= seen


def assert_cached_only_if_static(response, endpoint: str) -> None:
    """Every response but a static file's says no-store: any page may show someone's details."""
    if endpoint == "static":
        assert "no-store" not in response.headers.get("Cache-Control", ""), endpoint
    else:
        assert response.headers.get("Cache-Control") == "no-store", endpoint


def test_a_page_filled_from_a_token_in_the_query_is_not_stored(client):
    enquiry = submit_enquiry(submission(phone="+447700900123"))
    page = client.get(f"/book?enquiry={book_from_enquiry_token(enquiry.id)}")
    assert page.status_code == 200 and 'value="sam@example.org"' in page.text
    assert page.headers["Cache-Control"] == "no-store"


def test_a_form_sent_back_with_what_was_typed_is_not_stored(client):
    refused = post_enquiry(client, email="not an address", name="Nadia Typed")
    assert refused.status_code == 400 and "Nadia Typed" in refused.text
    assert refused.headers["Cache-Control"] == "no-store"


def test_error_pages_are_not_stored_and_static_files_may_be(client):
    assert client.get("/no-such-page").headers["Cache-Control"] == "no-store"
    stylesheet = client.get("/static/css/site.css")
    assert stylesheet.status_code == 200
    assert_cached_only_if_static(stylesheet, "static")


def test_error_pages_carry_them_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_secure_headers(response, "")


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://clinic.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forwarded_https_is_believed_only_from_a_trusted_proxy(database_url, smtp):
    from ..conftest import make_app

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    untrusted = make_app(database_url, smtp.port).test_client()
    assert "Strict-Transport-Security" not in untrusted.get("/", headers=forwarded).headers
    behind_one = make_app(database_url, smtp.port, TRUSTED_PROXIES=1)
    assert "Strict-Transport-Security" in behind_one.test_client().get(
        "/", headers=forwarded).headers


def test_csrf_referrer_check_passes_over_https(app_overrides, database_url, smtp):
    """Flask-WTF refuses an HTTPS form post whose Referer is missing or another site's; the
    Referrer-Policy keeps our own origin in it, so a real sign-in works."""
    from ..conftest import form_tokens, make_app
    from ..support.desk import make_staff

    app = make_app(database_url, smtp.port, **app_overrides)
    with app.app_context():
        make_staff()
        client = app.test_client()
        base = "https://clinic.example"
        page = client.get("/admin/sign-in", base_url=base)
        data = {**form_tokens(page.text), "email": "osteopath@clinic.example",
                "password": "correct horse battery"}
        # strict-origin-when-cross-origin: a same-origin request carries the full URL.
        ok = client.post("/admin/sign-in", base_url=base, data=data,
                         headers={"Referer": base + "/admin/sign-in"})
        assert ok.status_code == 303
        from ..conftest import empty_all_tables

        empty_all_tables()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_no_page_template_has_inline_script_or_style():
    pages = [p for p in TEMPLATES.rglob("*.html") if "email" not in p.relative_to(TEMPLATES).parts]
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), path
        assert not INLINE_STYLE.search(text), path
