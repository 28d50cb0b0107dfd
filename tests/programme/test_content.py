"""The content the osteopath owns: loaded once, never overwriting an edit, used as it is when
each email is sent, and never able to run script."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.content.service import current_programme, load_defaults, mark_edited
from app.extensions import db
from app.models import SeriesPart

from ..support.outbox import send_due
from ..support.programme import patient_on_programme

ENROLLED = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)


def test_loading_twice_adds_nothing_the_second_time(runner):
    first = runner.invoke(args=["content", "load"])
    assert first.exit_code == 0 and "added 3" in first.output
    second = runner.invoke(args=["content", "load"])
    assert "added 0, refreshed 0" in second.output


def test_part_1_starts_as_a_placeholder_for_the_osteopath(app):
    load_defaults()
    part_1 = db.session.execute(
        select(SeriesPart).where(SeriesPart.number == 1)
    ).scalar_one()
    assert part_1.placeholder is True
    assert "osteopath will complete" in part_1.summary


def test_an_edit_on_the_desk_survives_loading_again(app):
    load_defaults()
    programme = current_programme()
    programme.dose = "2 sets of 10, every other day."
    mark_edited(programme, "osteopath@clinic.example")
    db.session.commit()
    report = load_defaults()
    assert report.kept_edits == 1
    assert current_programme().dose == "2 sets of 10, every other day."


@pytest.mark.time_machine(ENROLLED, tick=False)
def test_the_next_email_uses_the_content_as_edited(app, runner, smtp):
    patient_on_programme(ENROLLED)
    programme = current_programme()
    programme.dose = "Edited: 3 sets of 10, four times a week."
    mark_edited(programme, "osteopath@clinic.example")
    db.session.commit()
    send_due(runner, now="2027-02-01T10:00:00Z")
    welcome = smtp.to("alex@example.org")[-1]
    assert "Edited: 3 sets of 10, four times a week." in welcome.get_body(("plain",)).get_content()


@pytest.mark.time_machine(ENROLLED, tick=False)
def test_script_in_content_is_shown_as_text_never_run(app, runner, smtp):
    load_defaults()
    part = db.session.execute(select(SeriesPart).where(SeriesPart.number == 2)).scalar_one()
    part.summary = 'Before.\n\n<script>alert("x")</script><img src=x onerror=alert(1)>'
    mark_edited(part, "osteopath@clinic.example")
    db.session.commit()
    patient_on_programme(ENROLLED)
    send_due(runner, now="2027-02-01T10:00:00Z")
    html = smtp.to("alex@example.org")[-1].get_body(("html",)).get_content()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "<p>Before.</p>" in html
