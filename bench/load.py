"""A load generator for the enquiry form, over loopback, with a fixed number of visitors.

The figure that matters is the POST: each visitor first GETs the form once, as a browser does,
for its CSRF token, fill timer and session cookie, then POSTs the filled-in form again and
again, keeping the cookie each answer sets. The GETs are not counted. A separate run times the
GET alone, for the form page's own cost.

Plain threads and http.client: the same client drives the app and both baselines, so its own
cost is the same in every ratio.
"""

import http.client
import re
import secrets
import threading
import time
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlencode

from .common import percentile

HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}

# The answers of tests.support.enquiries.valid_answers, with follow-up left unticked (ticked,
# a submission writes the same: the enquiry and its two outbox rows).
ANSWERS = [
    ("name", "Sam Patel"),
    ("email", "sam@example.org"),
    ("phone", "07710 466880"),
    ("problem", "back"),
    ("location", "Lower back, left side"),
    ("duration", "6_weeks_to_3_months"),
    ("triggers", "long_sitting"),
    ("triggers", "getting_out_of_car"),
    ("trigger_other", ""),
    ("pain_score", "6"),
    ("message", "It is worse in the mornings."),
    ("red_flags", "none"),
    ("consent_contact", "y"),
    ("website", ""),
]


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 0.99) * 1000


def hidden_fields(html: str) -> list[tuple[str, str]]:
    fields = []
    for tag in HIDDEN_INPUT.findall(html):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            fields.append((attributes["name"], unescape(attributes.get("value", ""))))
    return fields


def _request(port: int, method: str, body: bytes | None, headers: dict):
    # A new connection each time: gunicorn's sync workers do not keep connections alive.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, "/enquire", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read()
    finally:
        connection.close()


class Visitor:
    """One browser: it has the form (with its tokens) and the session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        status, set_cookie, page = _request(port, "GET", None, {})
        if status != 200:
            raise RuntimeError(f"GET /enquire answered {status}")
        self.cookie = set_cookie.split(";", 1)[0]
        self.fields = [(name, value) for name, value in hidden_fields(page.decode())
                       if name != "submission_key"] + ANSWERS

    def post(self) -> None:
        # Each POST is a new enquiry, so it carries a new one-time key, as a new form would:
        # the same key again would be the same form sent twice, saved once.
        body = urlencode([*self.fields, ("submission_key", secrets.token_urlsafe(24))]).encode()
        headers = dict(FORM_HEADERS, Cookie=self.cookie) if self.cookie else FORM_HEADERS
        status, set_cookie, _ = _request(self.port, "POST", body, headers)
        if status != 303:
            raise RuntimeError(f"POST /enquire answered {status}")
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]

    def get(self) -> None:
        status, _, _ = _request(self.port, "GET", None, {})
        if status != 200:
            raise RuntimeError(f"GET /enquire answered {status}")


def run_load(port: int, requests: int, concurrency: int, method: str = "POST") -> LoadResult:
    """`requests` requests of `method` from `concurrency` visitors at once; the clock starts
    once every visitor has its form."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [requests]
    ready = threading.Barrier(concurrency + 1)

    def visitor() -> None:
        try:
            me = Visitor(port)
        except Exception as error:
            with lock:
                errors.append(repr(error))
            return
        finally:
            ready.wait()
        send = me.post if method == "POST" else me.get
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                send()
            except Exception as error:  # counted and reported; the run goes on
                with lock:
                    errors.append(repr(error))
                continue
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=visitor) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return LoadResult(len(latencies), seconds, latencies, len(errors))
