"""Browser journeys: the real site served by gunicorn on loopback, driven through Chromium.

Each test gets its own SQLite database (a copy of one migrated and loaded once per session by
the same `flask` commands `make run` uses), its own gunicorn on a free port, and the session's
loopback SMTP server. Emails go out only when the test runs `flask outbox send-due` as cron
would; the test then follows the links in what arrived. Every page a journey looks at is
checked with axe-core and photographed at a phone's and a desktop's width, and kept for the
W3C HTML checker, which runs over them all after the last journey (test_w3c_checker.py).

Chromium is Debian's /usr/bin/chromium (Playwright's own download does not work here). Without
it the journeys skip, unless CI_REQUIRE_BROWSER=1, where a missing browser is a failure.
"""

import os
import re
import secrets
import shutil
import signal
import subprocess
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError

import pytest

from ..support.processes import FLASK, PROJECT_ROOT, flask_env, run_send_due, wait_until
from ..support.smtp import SMTPTestServer, free_port
from .w3c import CHECKER_MODULE, CheckedPages, Journeys

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium puts a sandboxed frame (the desk's email preview) in a process of its own;
    # a click Playwright sends straight after scrolling the page can then be routed by stale
    # hit-test data into that frame and lost. A person's later click never meets this.
    "--disable-features=IsolateSandboxedIframes",
]
GUNICORN = Path(FLASK).with_name("gunicorn")
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
STAFF_EMAIL = "osteopath@clinic.example"
STAFF_PASSWORD = "a long desk passphrase"
# The same key for the web server and every send-due run: links signed by one are read by the
# other, as in production where both read SECRET_KEY from the same environment.
SECRET_KEY = secrets.token_hex(32)
# Only stops a stuck journey; a page answers in well under a second.
PAGE_TIMEOUT_MS = 15_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# Every setting the service reads (.env.example lists them all). None is inherited from the
# shell running the tests: a RATELIMIT_STORAGE_URI shared between test servers, say, would
# let one journey's enquiries use up the next one's allowance.
CLINIC_SETTINGS = frozenset(
    re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (PROJECT_ROOT / ".env.example").read_text(), re.M)
)


def pytest_configure(config):
    # pyproject.toml registers it too; kept here so --strict-markers never trips on it.
    config.addinivalue_line(
        "markers", "browser: drives Chromium through Playwright; needs /usr/bin/chromium"
    )


# ---------------------------------------------------------------- the browser


# Package scope: the browser and its driver close when the journeys end, not with the session.
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        reason = f"the browser journeys need Debian's Chromium at {CHROMIUM}"
        if os.environ.get("CI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CI_REQUIRE_BROWSER=1 but {reason}: install the chromium package")
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do; a loaded CI machine can be slow to paint.
    expect.set_options(timeout=PAGE_TIMEOUT_MS)
    with sync_playwright() as playwright:
        # launch() gives every run a fresh temporary profile, deleted on close.
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# ---------------------------------------------------------------- the site


@pytest.fixture(scope="package")
def loaded_database(browser, tmp_path_factory) -> Path:
    """A database built by the migrations, with the default content and diary hours.

    Asks for the browser first, so that without one the journeys skip (or fail) at once.
    Nothing is sent while it is built, so no mail server is named."""
    path = tmp_path_factory.mktemp("site") / "template.db"
    env = _site_env(f"sqlite:///{path}", 1, "http://127.0.0.1:1")
    for command in (["db", "upgrade"], ["content", "load"], ["bookings", "defaults"]):
        _flask(env, *command)
    return path


def _site_env(database_url: str, mail_port: int, base_url: str) -> dict[str, str]:
    """Production settings, as the clinic runs it, with nothing from the developer's shell.

    Only what loopback needs differs: plain-HTTP cookies, and no minimum fill time
    (Playwright fills a form faster than anyone)."""
    env = {
        name: value
        for name, value in flask_env(database_url, mail_port).items()
        if name not in CLINIC_SETTINGS or name in {"DATABASE_URL", "MAIL_SERVER", "MAIL_PORT"}
    }
    env.update(
        APP_ENV="production",
        SECRET_KEY=SECRET_KEY,
        PUBLIC_BASE_URL=base_url,
        SESSION_COOKIE_SECURE="0",
        ENQUIRY_MIN_FILL_SECONDS="0",
        CLINIC_NOTIFY_EMAIL=STAFF_EMAIL,
    )
    return env


def _flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [str(FLASK), "--app", "app", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


@dataclass
class Site:
    """The running clinic desk: its address, and the commands an operator would run."""

    url: str
    env: dict[str, str]
    smtp: SMTPTestServer
    log_path: Path
    sign_in_url: str = ""

    def send_due(self, now: str | None = None) -> str:
        """One `flask outbox send-due` run, as cron does; `now` is clinic local time."""
        done = run_send_due(self.env, now)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def create_staff(self, email: str = STAFF_EMAIL, password: str = STAFF_PASSWORD) -> str:
        """`flask staff create` with the password piped in; returns the sign-in link it gives."""
        out = _flask(self.env, "staff", "create", email, stdin=password + "\n")
        self.sign_in_url = out.rsplit("Sign in at ", 1)[1].strip()
        return self.sign_in_url


@pytest.fixture
def site_setup():
    """Override in a module to run operator commands before the server starts."""
    return lambda site: None


@pytest.fixture
def site(loaded_database, smtp, tmp_path, site_setup):
    database = tmp_path / "clinic.db"
    shutil.copyfile(loaded_database, database)
    # SQLite folds its write-ahead log back in when the last connection closes; should one
    # ever be left behind, it belongs with the copy.
    wal = loaded_database.with_name(loaded_database.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, database.with_name(database.name + "-wal"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "gunicorn.log"
    running = Site(url, _site_env(f"sqlite:///{database}", smtp.port, url), smtp, log_path)
    site_setup(running)
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "--bind", f"127.0.0.1:{port}",
                "--workers", "1",
                "--threads", "4",
                "--access-logfile", "-",
                # Several test runs share this machine; a shared control socket would clash.
                "--no-control-socket",
                "tests.browser.served:site()",
            ],
            cwd=PROJECT_ROOT,
            env=running.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: _answers(url), f"gunicorn to serve {url}", server)
        yield running
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    log_text = log_path.read_text()
    # A journey that passed while the server logged a traceback still hid a fault.
    assert "Traceback" not in log_text, log_text[-4000:]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/", timeout=2) as response:
            return response.status == 200
    except (URLError, ConnectionError, TimeoutError):
        return False


# ---------------------------------------------------------------- pages and checks


@dataclass
class Problems:
    """What the browser complained about: script errors, CSP refusals, missing files."""

    items: list[str] = field(default_factory=list)

    def on_console(self, message) -> None:
        # A form sent back with errors is a 400 document; Chromium logs every 4xx document
        # load. Failed subresources are caught in on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.items.append(f"console: {message.text} at {message.location}")

    def on_page_error(self, error) -> None:
        self.items.append(f"script error: {error}")

    def on_response(self, response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            self.items.append(f"{response.status} for {response.url}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.journey_failed = report.failed
        if report.passed:
            Journeys.of(item.config).passed.add(item.nodeid)
    return report


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The W3C checker reads what the journeys kept, so it runs after the last of them."""
    here = Path(__file__).parent
    checker = [item for item in items if item.path.name == CHECKER_MODULE]
    journeys = [item for item in items if item.path.parent == here and item not in checker]
    Journeys.of(config).selected.update(item.nodeid for item in journeys)
    if checker and journeys:
        for item in checker:
            items.remove(item)
        after = items.index(journeys[-1]) + 1
        items[after:after] = checker


def pytest_deselected(items):
    here = Path(__file__).parent
    for item in items:
        if item.path.parent == here:
            Journeys.of(item.config).left_out = True


@pytest.fixture(scope="session")
def checked_pages() -> CheckedPages:
    """Outlives the journeys' package: the W3C checker reads it after the last journey."""
    return CheckedPages()


@pytest.fixture
def context(browser, request, checked_pages):
    # A phone first: most patients open the form and their emails on one.
    opened = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    opened.set_default_timeout(PAGE_TIMEOUT_MS)
    # Every page of the journey, the patient's and the osteopath's alike, is watched.
    problems = Problems()
    opened.on("console", problems.on_console)
    opened.on("weberror", lambda web_error: problems.on_page_error(web_error.error))
    opened.on("response", problems.on_response)
    opened.on("response", checked_pages.on_response)
    yield opened
    if getattr(request.node, "journey_failed", False):
        # What each page showed when the journey failed, for a CI run nobody watched.
        folder = SCREENSHOTS / request.node.name.removeprefix("test_")
        folder.mkdir(parents=True, exist_ok=True)
        for number, shown in enumerate(opened.pages, 1):
            shown.screenshot(path=folder / f"failed-page-{number}.png", full_page=True)
    opened.close()
    assert problems.items == []


@pytest.fixture
def page(context):
    return context.new_page()


LABEL_CHECK = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => !el.closest('[aria-hidden="true"]'))
  .filter(el => el.labels.length === 0 || [...el.labels].every(l => !l.textContent.trim()))
  .map(el => el.outerHTML)"""


class Looker:
    """Looks at each page a journey reaches: axe-core, labels, and two screenshots; keeps
    the page for the W3C checker."""

    def __init__(self, axe, journey: str, checked_pages: CheckedPages) -> None:
        self.axe = axe
        self.journey = journey
        self.checked_pages = checked_pages
        self.folder = SCREENSHOTS / journey
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def check(self, page, name: str) -> None:
        self.count += 1
        self.checked_pages.keep(page, f"{self.journey}: {name}")
        unlabelled = page.evaluate(LABEL_CHECK)
        assert unlabelled == [], f"{name}: controls with no label: {unlabelled}"
        original = page.viewport_size
        for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            self._axe(page, f"{name} ({width_name})")
            page.screenshot(
                path=self.folder / f"{self.count:02d}-{name}-{width_name}.png", full_page=True
            )
        page.set_viewport_size(original)

    def _axe(self, page, where: str) -> None:
        # The desk's email preview is a sandboxed frame where no script may run, axe's
        # included: its contents are an email, not a page, and are checked as an email.
        results = self.axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": [*AXE_TAGS, "best-practice"]},
                "iframes": False,
            },
        )
        found = [
            (_blocks(v), f"{v['id']} ({v['impact']}): {v['help']} at "
             + ", ".join(str(node["target"]) for node in v["nodes"][:5]))
            for v in results.response["violations"]
        ]
        # Lesser findings (and axe's best practices) do not fail the journey; they are kept
        # beside the screenshots for whoever works on the templates.
        lesser = [f"{where}: {text}\n" for blocks, text in found if not blocks]
        if lesser:
            with open(self.folder / "axe-lesser.txt", "a") as notes:
                notes.writelines(lesser)
        blocking = [text for blocks, text in found if blocks]
        assert blocking == [], f"axe on {where} at {page.url}:\n" + "\n".join(blocking)


def _blocks(violation: dict) -> bool:
    """A serious or critical breach of WCAG 2.2 A or AA."""
    return violation["impact"] in BLOCKING_IMPACTS and bool(set(violation["tags"]) & set(AXE_TAGS))


@pytest.fixture
def look(axe, request, checked_pages):
    return Looker(axe, request.node.name.removeprefix("test_"), checked_pages)
