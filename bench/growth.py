"""(c) The desk's pages as the clinic grows: 1,000 against 100,000 enquiries.

Each page is fetched through the whole app (routing, sign-in check, queries, template) with
Flask's test client, signed in as a member of staff. Queries are counted with a
before_cursor_execute listener on the engine.
"""

import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, select, text

from app import create_app
from app.auth import sessions
from app.auth.service import create_staff
from app.extensions import db
from app.models import Enrolment
from tests.support import seed

from .common import DB_PREFIX, fresh_postgres, migrated

DATABASE = f"{DB_PREFIX}_growth"
# Either size spans the same year, so both hold patients well past their week-6 check-in.
SPAN = timedelta(days=365)
REPEAT = 21


@dataclass
class PageRun:
    backend: str
    page: str
    size: int
    ms: float
    queries: int


def _pages(patient_id: int) -> dict[str, str]:
    return {
        "dashboard": "/admin/",
        "enquiry list": "/admin/enquiries",
        "programme list": "/admin/programme",
        "patient page": f"/admin/patients/{patient_id}",
    }


def _fill(app, size: int) -> int:
    """Seed `size` enquiries with their emails and programme; returns a patient to show and
    the id of a desk session signed in as a member of staff."""
    with app.app_context():
        now = seed.utc_now()
        made = seed.enquiries(size, now, SPAN / size)
        seed.enquiry_emails(made, "sent", fail_every=1000)
        seed.programme(made, now)
        staff = create_staff("bench@clinic.example", "benchmark-password")
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        # One who has answered check-ins: enrolled about seven weeks ago, at either size.
        patient = db.session.scalar(
            select(Enrolment.enquiry_id)
            .where(Enrolment.enrolled_at < now - timedelta(weeks=7), Enrolment.status == "active")
            .order_by(Enrolment.enrolled_at.desc()).limit(1)
        )
        with app.test_request_context():
            sessions.sign_in(staff)
            return patient, staff.get_id()


def _signed_in_client(url: str, size: int):
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": url, "STAFF_PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # Filling the other size can take longer than a desk session may sit unused.
        "DESK_IDLE_MINUTES": 24 * 60, "DESK_SESSION_MAX_HOURS": 24,
    })
    patient, desk_session = _fill(app, size)
    queries = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *args: queries.__setitem__(0, queries[0] + 1))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = desk_session
        session["_fresh"] = True
    return app, client, _pages(patient), queries


def _fetcher(client, path: str):
    def fetch() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    return fetch


def _measure(backend: str, urls: dict[int, str]) -> list[PageRun]:
    """Both sizes are loaded, then each page is timed at one size and the other in turn, so
    that a busy moment on the machine does not land on one size only."""
    sides = {size: _signed_in_client(url, size) for size, url in urls.items()}
    runs = []
    for page in _pages(0):
        fetches = {size: _fetcher(client, pages[page])
                   for size, (_, client, pages, _) in sides.items()}
        times = {size: [] for size in sides}
        for fetch in fetches.values():
            for _ in range(3):
                fetch()
        for _ in range(REPEAT):
            for size, fetch in fetches.items():
                start = time.perf_counter()
                fetch()
                times[size].append(time.perf_counter() - start)
        for size, (_, _, _, queries) in sides.items():
            queries[0] = 0
            fetches[size]()
            runs.append(PageRun(backend, page, size, statistics.median(times[size]) * 1000,
                                queries[0]))
    for app, *_ in sides.values():
        with app.app_context():
            db.engine.dispose()
    return runs


def run(small: int, large: int) -> list[PageRun]:
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
        runs = _measure("SQLite", {
            size: migrated(f"sqlite:///{Path(folder) / f'growth-{size}.db'}")
            for size in (small, large)
        })
    runs += _measure("PostgreSQL", {
        size: migrated(fresh_postgres(f"{DATABASE}_{size}")) for size in (small, large)
    })
    return runs
