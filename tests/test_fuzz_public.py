"""Arbitrary input at every public form and link: always a page or a clear refusal, never a
server error, and nothing half-written left behind.

The addresses come from the app's URL map (everything not under /admin, /static or /dev), so
a public page added later is thrown at as well.
"""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bookings import links
from app.extensions import db
from app.tokens import make_token

from .bookings.helpers import wanting
from .security.routes import is_public
from .support.clock import AN_ORDINARY_MORNING
from .support.programme import patient_on_programme

FIELD_NAMES = ["name", "email", "phone", "problem", "location", "duration", "triggers",
               "pain_score", "message", "red_flags", "consent_contact", "slot", "reason",
               "week", "band", "notes", "csrf_token", "enquiry", "form_started", "website",
               "List-Unsubscribe", "unexpected_field", "id", "__proto__"]
texts = st.text(max_size=300) | st.sampled_from(
    ["", "0", "-1", "99999999999999999999", "true", "null", "[]", "{}", "\x00", "é" * 50,
     "<script>alert(1)</script>", "' OR 1=1 --", "2026-13-45T25:61", "../../etc/passwd"])
values = texts | st.lists(texts, max_size=4)
forms = st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=20), values,
                        max_size=12)
path_values = texts.filter(lambda text: "/" not in text and "\x00" not in text) | st.just(
    "eyJpZCI6MX0.aGVsbG8.c2lnbmF0dXJlc2lnbmF0dXJl")

FUZZ = settings(max_examples=20, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def public_rules(app):
    return [rule for rule in app.url_map.iter_rules() if is_public(rule)]


def row_counts() -> dict[str, int]:
    counts = {table.name: db.session.execute(sa.select(sa.func.count()).select_from(table))
              .scalar() for table in db.metadata.sorted_tables}
    db.session.rollback()  # hold no lock while the request runs
    return counts


def check(response, before: dict[str, int]) -> None:
    assert response.status_code < 500, response.status_code
    if response.status_code >= 400:
        assert row_counts() == before


@pytest.fixture
def fuzz_client(app):
    return app.test_client()


@pytest.fixture
def real_tokens(app) -> dict[str, str]:
    """A working link for each kind, so the forms behind the links get fuzzed too, not only
    the refusal of a bad link."""
    now = datetime.now(UTC)
    enrolment = patient_on_programme(now)
    appointment = wanting(now)
    return {
        "programme.checkin": make_token("checkin", enrolment.id, week=2),
        "programme.unsubscribe": make_token("unsubscribe", enrolment.id),
        "bookings.manage": links.manage_token(appointment.id),
        "bookings.cancel": links.manage_token(appointment.id),
        "bookings.ask_to_reschedule": links.manage_token(appointment.id),
        "bookings.accept_offer": make_token(links.OFFER, appointment.id,
                                            start=links.iso_utc(now)),
    }


def _request(client, rule, data, real_tokens):
    token = real_tokens.get(rule.endpoint)
    arguments = {name: data.draw(st.just(token) | path_values if token else path_values)
                 for name in rule.arguments}
    path = rule.build(arguments, append_unknown=False)[1]
    method = data.draw(st.sampled_from(sorted({"GET", "POST"} & rule.methods)))
    if method == "GET":
        return client.get(path, query_string=data.draw(forms))
    if data.draw(st.booleans()):
        return client.post(path, data=data.draw(forms))
    kind = data.draw(st.sampled_from(["application/json", "text/plain",
                                      "application/x-www-form-urlencoded",
                                      "multipart/form-data; boundary=x"]))
    return client.post(path, data=data.draw(st.binary(max_size=2000)), content_type=kind)


# The offer link is for a time on the clock's now; the clock is the test's own.
@pytest.mark.time_machine(AN_ORDINARY_MORNING)
def test_arbitrary_forms_and_links(app, fuzz_client, real_tokens):
    def fuzz(rule):
        # One bounded run per address, so each gets its share of examples.
        @FUZZ
        @given(data=st.data())
        def throw_at(data):
            before = row_counts()
            check(_request(fuzz_client, rule, data, real_tokens), before)

        throw_at()

    for rule in public_rules(app):
        fuzz(rule)


def test_an_oversized_body_is_refused_clearly(app, fuzz_client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    for rule in public_rules(app):
        if "POST" not in rule.methods:
            continue
        path = rule.build({name: "x" for name in rule.arguments})[1]
        before = row_counts()
        response = fuzz_client.post(path, data={"message": "x" * (limit + 1)})
        # A link's token is checked first; a bad one is refused before the body is read.
        expected = {413} if not rule.arguments else {404, 413}
        assert response.status_code in expected, (path, response.status_code)
        assert row_counts() == before

