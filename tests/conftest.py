"""Fixtures: app, db, client, runner and smtp, on SQLite and (when configured) PostgreSQL.

Every test that uses `app` runs once per database backend. The schema is built by the real
migrations once per backend; after each test every table is emptied. PostgreSQL runs when
TEST_POSTGRES_URL is set; with CI_REQUIRE_POSTGRES=1 a missing server is a failure, not a skip.
"""

import os
import time

# Prove that nothing depends on the server's own zone: the clinic is in London, the tests not.
os.environ["TZ"] = "America/New_York"
time.tzset()
os.environ["APP_ENV"] = "testing"

import re  # noqa: E402
from html import unescape as html_unescape  # noqa: E402

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from flask import g, request_started  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db as _db  # noqa: E402

from .support.smtp import SMTPTestServer  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL")


def _require_postgres() -> bool:
    return os.environ.get("CI_REQUIRE_POSTGRES") == "1"


def _fresh_postgres_database(url: str) -> str:
    """Drop and create the test database named in the URL; return its SQLAlchemy URL."""
    target = sa.make_url(url).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def smtp_server():
    server = SMTPTestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server):
    """The loopback SMTP server, emptied for this test."""
    smtp_server.reset()
    return smtp_server


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated database for the whole session, one per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'clinic-test.db'}"
    else:
        raw = postgres_url()
        if not raw:
            if _require_postgres():
                pytest.fail("CI_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set")
            pytest.skip("PostgreSQL tests need TEST_POSTGRES_URL (make test sets it in CI)")
        try:
            url = _fresh_postgres_database(raw)
        except sa.exc.OperationalError as error:
            if _require_postgres():
                raise
            pytest.skip(f"PostgreSQL not reachable: {error}")
    return migrated(url)


def migrated(url: str) -> str:
    """Bring the database at `url` to the latest revision; returns the URL."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return url


def make_app(database_url: str, smtp_port: int, **overrides):
    return create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_port,
            **overrides,
        },
    )


# The desk's fixtures (`staff`, `desk`) for every test that wants them, and `--clock`.
pytest_plugins = ["tests.support.desk", "tests.support.clock"]

# scrypt at OWASP's cost takes about 0.3 s a hash; tests that check the real cost ask for it.
FAST_HASHING = {"STAFF_PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}


@pytest.fixture
def app_overrides():
    """Config for the `app` fixture; override this fixture in a module or class to change it."""
    return dict(FAST_HASHING)


@pytest.fixture
def app(database_url, smtp, app_overrides):
    app = make_app(database_url, smtp.port, **app_overrides)
    # The test's app context stays pushed, and test requests reuse it; without this `g` would
    # carry Flask-Login's signed-in user and Flask-WTF's CSRF token from one request (and one
    # client) into the next, which a real request never sees.
    request_started.connect(_empty_g, app)
    with app.app_context():
        yield app
        _db.session.remove()
        empty_all_tables()
        _db.engine.dispose()
    request_started.disconnect(_empty_g, app)


def _empty_g(sender, **extra) -> None:
    for name in list(g):
        g.pop(name)


def empty_all_tables() -> None:
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def backend(database_url) -> str:
    return sa.make_url(database_url).get_backend_name()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')


def form_tokens(html: str) -> dict:
    """The hidden fields a page's form carries (CSRF token and the like), as a browser sends."""
    fields = {}
    for tag in HIDDEN_INPUT.findall(html):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            fields[attributes["name"]] = html_unescape(attributes.get("value", ""))
    return fields


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` prove something only PostgreSQL has (SKIP LOCKED, exclusion
    constraints under real concurrency): they are left out of the SQLite run, not skipped."""
    kept, left_out = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database_url") if callspec else None
        if item.get_closest_marker("postgres") and backend == "sqlite":
            left_out.append(item)
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
