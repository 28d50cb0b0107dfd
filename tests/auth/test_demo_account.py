"""The demo account of `make run` opens the desk on the local site only: never in production,
even on the same database."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.auth.demo import DEMO_EMAIL, DEMO_PASSWORD
from app.extensions import db

from ..conftest import FAST_HASHING
from ..support.desk import SIGN_IN, sign_in

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = secrets.token_hex(32)
NOT_RECOGNISED = "Email or password not recognised"
# The revision that marks demo accounts, and the one before it.
DEMO_REVISION = "0010"


def site(kind: str, database_url: str, **overrides):
    """The clinic desk as `make run` (development) or `make serve` (production) starts it,
    on the test database, with one secret key for both."""
    return create_app(kind, {
        **FAST_HASHING, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY,
        "SESSION_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False, **overrides,
    })


def command(app, *args: str):
    """`flask --app app ARGS` run against this app (not the test's own, already pushed)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def local_site(app, database_url, monkeypatch):
    """The local site after `make run`, which made the demo account."""
    monkeypatch.setenv("APP_ENV", "development")
    local = site("development", database_url)
    result = command(local, "staff", "create-demo")
    assert result.exit_code == 0, result.output
    return local


@pytest.fixture
def production(local_site, database_url):
    return site("production", database_url)


def test_create_demo_prints_a_password_that_opens_the_local_desk(local_site):
    again = command(local_site, "staff", "create-demo")  # as every `make run` does
    assert again.exit_code == 0, again.output
    printed = dict(
        line.strip().split(":", 1) for line in again.output.splitlines() if line.startswith("  ")
    )
    client = local_site.test_client()
    response = sign_in(client, printed["email"].strip(), printed["password"].strip())
    assert response.status_code == 303
    assert client.get("/admin/").status_code == 200


def test_the_demo_account_is_refused_at_sign_in_in_production(production):
    client = production.test_client()
    response = sign_in(client, DEMO_EMAIL, DEMO_PASSWORD)
    assert response.status_code == 400
    assert NOT_RECOGNISED in response.text
    assert client.get("/admin/").status_code == 302


def test_a_session_of_the_demo_account_is_refused_in_production(local_site, production):
    local = local_site.test_client()
    assert sign_in(local, DEMO_EMAIL, DEMO_PASSWORD).status_code == 303
    cookie = local.get_cookie("session").value
    served = production.test_client()
    served.set_cookie("session", cookie)
    response = served.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(SIGN_IN)
    # The same session still works on the local site: only production refuses it.
    assert local.get("/admin/").status_code == 200


def _start_production(database_url: str) -> subprocess.CompletedProcess:
    """Start the app as gunicorn or `flask` would in production, in a process of its own."""
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": SECRET_KEY,
           "DATABASE_URL": database_url, "FLASK_SKIP_DOTENV": "1"}
    return subprocess.run([sys.executable, "-c", "from app import create_app; create_app()"],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)


def test_production_start_up_says_loudly_that_a_demo_account_exists(local_site, database_url):
    started = _start_production(database_url)
    assert "CRITICAL" in started.stderr
    assert DEMO_EMAIL in started.stderr
    assert "flask --app app staff remove-demo" in started.stderr


def test_remove_demo_deletes_the_account_and_its_sessions(local_site, database_url):
    client = local_site.test_client()
    assert sign_in(client, DEMO_EMAIL, DEMO_PASSWORD).status_code == 303
    served = site("production", database_url)
    removed = command(served, "staff", "remove-demo")
    assert removed.exit_code == 0, removed.output
    assert f"Removed the demo account {DEMO_EMAIL}." in removed.output
    assert client.get("/admin/").status_code == 302
    with local_site.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM staff_user")) == 0
        assert db.session.scalar(sa.text("SELECT count(*) FROM desk_session")) == 0
    assert "There is no demo account." in command(served, "staff", "remove-demo").output
    assert "CRITICAL" not in _start_production(database_url).stderr


def test_the_upgrade_marks_an_existing_demo_account(tmp_path):
    url = f"sqlite:///{tmp_path / 'before-demo-marks.db'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision=f"{DEMO_REVISION}-1")
        with db.engine.begin() as conn:
            for email in (DEMO_EMAIL, "osteopath@clinic.example"):
                conn.execute(sa.text(
                    "INSERT INTO staff_user (email, password_hash, active, created_at, "
                    "session_version, recovery_code_hashes) "
                    "VALUES (:email, 'x', true, '2026-11-30 09:00:00', 1, '[]')"
                ), {"email": email})
        upgrade(revision=DEMO_REVISION)
        with db.engine.begin() as conn:
            marked = dict(conn.execute(sa.text("SELECT email, demo FROM staff_user")).all())
        db.engine.dispose()
    assert marked == {DEMO_EMAIL: True, "osteopath@clinic.example": False}
