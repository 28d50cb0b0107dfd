"""Every public POST, and sign-in, is limited; with Redis the count holds across processes."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from ..support.desk import FAST_HASHING
from .routes import SAMPLE_TOKEN, public_posts

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/7"
# One prefix for the whole test session: Flask-Limiter keeps the first RATELIMIT_KEY_PREFIX it
# is given on its (global) Limiter, so a second prefix in the same process would be ignored.
KEY_PREFIX = f"clinic-test-{uuid.uuid4().hex}"
LIMITED = {
    **FAST_HASHING,
    "RATELIMIT_ENABLED": True,
    "ENQUIRY_RATE_LIMIT": "2 per minute",
    "SIGNIN_RATE_LIMIT": "2 per minute",
    "TWO_FACTOR_RATE_LIMIT": "2 per minute",
    # Without CSRF every post reaches its view, as a script replaying a form would.
    "WTF_CSRF_ENABLED": False,
}


class TestEveryPublicPost:
    @pytest.fixture
    def app_overrides(self):
        return dict(LIMITED)

    def test_each_is_refused_after_its_limit(self, app):
        checked = set()
        # The code step's limit is proven in test_two_factor: without a password first it
        # checks no code at all, only sends the visitor back to sign in.
        posts = [*public_posts(app), ("auth.sign_in", "/admin/sign-in")]
        for endpoint, path in posts:
            client = app.test_client()
            statuses = [client.post(path, data={"email": "x@example.org"}).status_code
                        for _ in range(3)]
            assert statuses[-1] == 429, (endpoint, statuses)
            assert all(status != 429 for status in statuses[:2]), (endpoint, statuses)
            checked.add(endpoint)
        assert {
            "enquiries.enquire", "bookings.book", "programme.checkin", "programme.unsubscribe",
            "bookings.cancel", "bookings.ask_to_reschedule", "bookings.accept_offer",
        } <= checked


@pytest.fixture
def redis_prefix():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    yield KEY_PREFIX
    for key in client.scan_iter(f"*{KEY_PREFIX}*"):
        client.delete(key)
    client.close()


SECOND_PROCESS = """
from app import create_app
app = create_app("testing", {
    "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": %(uri)r,
    "RATELIMIT_KEY_PREFIX": %(prefix)r, "ENQUIRY_RATE_LIMIT": "3 per minute",
    "SQLALCHEMY_DATABASE_URI": %(db)r,
})
client = app.test_client()
print(",".join(str(client.post(%(path)r).status_code) for _ in range(3)))
"""


def test_a_limit_is_shared_by_processes_through_redis(database_url, smtp, redis_prefix):
    """Three tries in another process use up the limit for this one: the count is in Redis,
    not in either process."""
    from ..conftest import make_app

    path = f"/programme/unsubscribe/{SAMPLE_TOKEN}"
    script = SECOND_PROCESS % {"uri": REDIS_URL, "prefix": redis_prefix, "db": database_url,
                               "path": path}
    env = {**os.environ, "APP_ENV": "testing", "FLASK_SKIP_DOTENV": "1"}
    other = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env,
                           capture_output=True, text=True, timeout=60, check=True)
    # The link is refused each time, and each try is counted.
    assert set(other.stdout.strip().split(",")) == {"404"}, other.stdout
    here = make_app(database_url, smtp.port, RATELIMIT_ENABLED=True,
                    RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=redis_prefix,
                    ENQUIRY_RATE_LIMIT="3 per minute")
    with here.app_context():
        assert here.test_client().post(path).status_code == 429


def test_one_click_unsubscribe_needs_no_cookie_and_no_redirect(app, database_url):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click with no cookies."""
    from datetime import UTC, datetime

    from app.programme.messages import unsubscribe_url

    from ..support.programme import patient_on_programme

    enrolment = patient_on_programme(datetime.now(UTC))
    path = "/" + unsubscribe_url(enrolment.id).split("://", 1)[1].split("/", 1)[1]
    response = app.test_client(use_cookies=False).post(
        path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
