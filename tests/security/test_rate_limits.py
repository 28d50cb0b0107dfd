"""Every public POST, and sign-in, is limited; with Redis the count holds across processes."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from ..support.desk import FAST_HASHING, PASSWORD, STAFF_EMAIL
from .routes import SAMPLE_TOKEN, public_posts

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/7"
# Every Redis key these tests make starts with this, so they can be found and removed.
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


# A site in a process of its own; the prefix comes from the environment, as a deployment sets
# it. (In one process Flask-Limiter keeps the first prefix its global Limiter was given.)
COUNTING_PROCESS = """
from app import create_app
app = create_app("testing", {
    "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": %(uri)r,
    "ENQUIRY_RATE_LIMIT": "3 per minute", "SQLALCHEMY_DATABASE_URI": %(db)r,
})
client = app.test_client()
print(",".join(str(client.post(%(path)r).status_code) for _ in range(%(tries)d)))
"""
LIMITED_PATH = f"/programme/unsubscribe/{SAMPLE_TOKEN}"


def _tries(database_url: str, prefix: str, count: int) -> list[str]:
    """The statuses of `count` posts from a new process (a link it refuses, each counted)."""
    script = COUNTING_PROCESS % {"uri": REDIS_URL, "db": database_url, "path": LIMITED_PATH,
                                 "tries": count}
    env = {**os.environ, "APP_ENV": "testing", "FLASK_SKIP_DOTENV": "1",
           "RATELIMIT_KEY_PREFIX": prefix}
    run = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=60, check=True)
    return run.stdout.strip().split(",")


def test_a_limit_is_shared_by_processes_through_redis(database_url, redis_prefix):
    """Three tries in one process use up the limit for another: the count is in Redis, not in
    either process."""
    assert _tries(database_url, redis_prefix, 3) == ["404"] * 3
    assert _tries(database_url, redis_prefix, 1) == ["429"]


def test_clinics_sharing_one_redis_are_counted_apart(database_url, redis_prefix):
    """One clinic's site using up its limit leaves another's, on the same Redis under its own
    RATELIMIT_KEY_PREFIX, untouched."""
    assert _tries(database_url, f"{redis_prefix}-north", 4)[-1] == "429"
    assert "429" not in _tries(database_url, f"{redis_prefix}-south", 3)
    assert _tries(database_url, f"{redis_prefix}-north", 1) == ["429"]


# Sign-in tries from a site in a process of its own: each try is (address, password, device
# cookie or None); prints each answer's status and the device cookie it left, as JSON.
SIGNING_IN_PROCESS = """
import json, sys
from app import create_app
app = create_app("testing", {
    "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": %(uri)r,
    "SIGNIN_RATE_LIMIT": "3 per 15 minutes", "SQLALCHEMY_DATABASE_URI": %(db)r,
    "WTF_CSRF_ENABLED": False,
})
answers = []
for address, password, device in json.loads(sys.argv[1]):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if device:
        client.set_cookie("desk_device", device, path="/admin/sign-in")
    response = client.post("/admin/sign-in", data={"email": %(email)r, "password": password})
    cookie = client.get_cookie("desk_device", path="/admin/sign-in")
    answers.append([response.status_code, cookie.value if cookie else None])
print(json.dumps(answers))
"""


def _sign_in_tries(database_url: str, prefix: str, tries: list) -> list:
    script = SIGNING_IN_PROCESS % {"uri": REDIS_URL, "db": database_url, "email": STAFF_EMAIL}
    env = {**os.environ, "APP_ENV": "testing", "FLASK_SKIP_DOTENV": "1",
           "RATELIMIT_KEY_PREFIX": prefix}
    run = subprocess.run([sys.executable, "-c", script, json.dumps(tries)], cwd=PROJECT_ROOT,
                         env=env, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(run.stdout)


def test_an_account_locked_in_one_process_is_locked_in_another_except_for_known_browsers(
    staff, database_url, redis_prefix
):
    """Guessing in one process locks the account for unknown browsers in every process; the
    osteopath's browser, known from an earlier sign-in, still signs in."""
    before = _sign_in_tries(database_url, redis_prefix, [
        ["192.0.2.10", PASSWORD, None],
        *([f"203.0.113.{n}", "a wrong guess", None] for n in range(1, 4)),
    ])
    assert [status for status, _ in before] == [303, 400, 400, 400]
    device = before[0][1]
    assert device
    after = _sign_in_tries(database_url, redis_prefix, [
        ["198.51.100.7", PASSWORD, None], ["192.0.2.10", PASSWORD, device],
    ])
    assert [status for status, _ in after] == [429, 303]


def test_one_click_unsubscribe_needs_no_cookie_and_no_redirect(app, database_url):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click with no cookies."""
    from app.programme.emails import unsubscribe_url

    from ..support.clock import AN_ORDINARY_MORNING
    from ..support.programme import patient_on_programme

    enrolment = patient_on_programme(AN_ORDINARY_MORNING)
    path = "/" + unsubscribe_url(enrolment.id).split("://", 1)[1].split("/", 1)[1]
    response = app.test_client(use_cookies=False).post(
        path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
