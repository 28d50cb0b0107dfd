"""The production shape: gunicorn with two workers, PostgreSQL and a rate limit kept in Redis.

Every worker is started with --max-requests 1, so each request is served by a process that
has never seen another: a limit that held only in a worker's memory would never trip. The
worker PIDs come from gunicorn's own access log, so the test shows that the requests really
were spread over separate processes rather than assuming it.
"""

import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from ..conftest import form_tokens
from ..support.enquiries import valid_answers
from ..support.smtp import free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

GUNICORN = Path(sys.executable).with_name("gunicorn")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
# The limiter's keys in Redis all start with this (Flask-Limiter's default prefix).
LIMIT_KEYS = "LIMITS:*"
START_GUARD_SECONDS = 60


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")
    _delete_limit_keys(client)
    yield client
    _delete_limit_keys(client)
    client.close()


def _delete_limit_keys(client) -> None:
    for key in client.scan_iter(LIMIT_KEYS):
        client.delete(key)


@pytest.fixture
def site(app, database_url, redis_client, tmp_path):
    """gunicorn serving the app on PostgreSQL; yields (port, access log path)."""
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("MAIL_", "OUTBOX_", "RATELIMIT_", "ENQUIRY_"))}
    env.update(
        APP_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=database_url,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        ENQUIRY_RATE_LIMIT="3 per minute",
        # Only so the test need not wait: the form may be sent as soon as it is shown.
        ENQUIRY_MIN_FILL_SECONDS="0",
        FLASK_SKIP_DOTENV="1",
    )
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--max-requests", "1", "--access-logfile", str(access_log),
         "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "app:create_app()"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_answering(port, process)
        yield port, access_log
    finally:
        # TERM to the whole group: the master and whichever workers it has at that moment.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


def _wait_until_answering(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_GUARD_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn ended: {process.stdout.read().decode()}")
        try:
            if _request(port, "GET", "/")[0] < 500:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer in time")


def _request(port: int, method: str, path: str, body: bytes | None = None,
             headers: dict | None = None) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return (response.status, response.getheader("Set-Cookie") or "",
                response.read().decode())
    finally:
        connection.close()


def _send_enquiry(port: int, name: str) -> int:
    """GET the form for its tokens and cookie, then POST it, as a browser would."""
    status, set_cookie, page = _request(port, "GET", "/enquire")
    assert status == 200
    answers = {**form_tokens(page), **valid_answers(name=name, consent_followup=None)}
    status, _, _ = _request(
        port, "POST", "/enquire", urlencode(answers, doseq=True).encode(),
        {"Content-Type": "application/x-www-form-urlencoded",
         "Cookie": set_cookie.split(";", 1)[0]},
    )
    return status


def _post_pids(access_log: Path) -> list[str]:
    # gunicorn writes an access line after the response; give the last one a moment.
    time.sleep(0.2)
    return [line.split()[0] for line in access_log.read_text().splitlines()
            if " POST /enquire " in line]


def test_a_rate_limit_holds_across_workers_and_enquiries_reach_postgres(
    site, database_url, redis_client
):
    port, access_log = site

    statuses = [_send_enquiry(port, f"Patient {number}") for number in range(4)]

    assert statuses == [303, 303, 303, 429]
    pids = _post_pids(access_log)
    assert len(pids) == 4
    # Four different processes: no worker saw an earlier POST, yet the fourth was refused.
    assert len(set(pids)) == 4
    assert any(redis_client.scan_iter(LIMIT_KEYS))
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        names = conn.execute(sa.text("SELECT name FROM enquiry ORDER BY id")).scalars().all()
        emails = conn.execute(sa.text("SELECT count(*) FROM outbox_message")).scalar()
    engine.dispose()
    assert names == ["Patient 0", "Patient 1", "Patient 2"]
    assert emails == 6
