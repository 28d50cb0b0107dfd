"""A load generator for the enquiry form: each virtual visitor GETs the form (for its CSRF
token and session cookie) and POSTs it, over loopback, with a fixed number of visitors.

Plain threads and http.client: the same client drives the app and both baselines, so its own
cost is the same in every ratio.
"""

import http.client
import re
import threading
import time
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlencode

from .common import percentile

HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')

# The answers of tests.support.enquiries.valid_answers, with follow-up left unticked so a
# submission writes exactly the enquiry and its two outbox rows.
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
    submissions: int
    seconds: float
    post_latencies: list[float]
    errors: int

    @property
    def per_second(self) -> float:
        return self.submissions / self.seconds

    @property
    def p50_ms(self) -> float:
        return percentile(self.post_latencies, 0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.post_latencies, 0.99) * 1000


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


def submit_once(port: int) -> float:
    """One visitor's GET and POST; returns the POST's latency in seconds."""
    status, set_cookie, page = _request(port, "GET", None, {})
    if status != 200:
        raise RuntimeError(f"GET /enquire answered {status}")
    cookie = set_cookie.split(";", 1)[0]
    body = urlencode(hidden_fields(page.decode()) + ANSWERS).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    start = time.perf_counter()
    status, _, _ = _request(port, "POST", body, headers)
    latency = time.perf_counter() - start
    if status != 303:
        raise RuntimeError(f"POST /enquire answered {status}")
    return latency


def run_load(port: int, submissions: int, concurrency: int) -> LoadResult:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [submissions]

    def visitor() -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            try:
                latency = submit_once(port)
            except Exception as error:  # counted and reported; the run goes on
                with lock:
                    errors.append(repr(error))
                continue
            with lock:
                latencies.append(latency)

    threads = [threading.Thread(target=visitor) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return LoadResult(len(latencies), seconds, latencies, len(errors))
