"""The osteopath edits the programme and the article parts on the desk, with a preview."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.content.service import current_programme, load_defaults
from app.extensions import db
from app.models import SeriesPart

from ...conftest import form_tokens
from ...support.outbox import send_due
from ...support.programme import patient_on_programme

ENROLLED = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def content(app):
    load_defaults()


def programme_fields(page_text: str, **changes) -> dict:
    programme = current_programme()
    fields = {
        "title": programme.title, "introduction": programme.introduction,
        "steps": "\n".join(programme.steps), "evenness": programme.evenness,
        "dose": programme.dose, "progression": programme.progression,
        "equipment": programme.equipment, "gym_alternatives": programme.gym_alternatives,
    }
    fields.update(changes)
    return {**form_tokens(page_text), **fields}


def test_preview_shows_the_email_and_saves_nothing(desk, content):
    page = desk.get("/admin/content/programme")
    assert page.status_code == 200
    response = desk.post(
        "/admin/content/programme",
        data=programme_fields(page.text, dose="Two sets, <b>gently</b>.", preview="Preview"),
    )
    assert response.status_code == 200
    assert "Preview of the email" in response.text
    frame = response.text.split('srcdoc="', 1)[1].split('"></iframe>', 1)[0]
    # Inside srcdoc the email's own escaping is escaped once more: the markup never runs.
    assert "Two sets, &amp;lt;b&amp;gt;gently&amp;lt;/b&amp;gt;." in frame
    assert current_programme().edited_at is None


# The clock stays at ENROLLED, so the welcome email is due at the moment send-due names.
@pytest.mark.time_machine(ENROLLED, tick=False)
def test_saved_text_goes_into_the_next_email(desk, content, runner, smtp):
    page = desk.get("/admin/content/programme")
    saved = desk.post(
        "/admin/content/programme",
        data=programme_fields(page.text, dose="3 sets of 10, three times a week.", save="Save"),
    )
    assert saved.status_code == 303
    assert current_programme().edited_by == "osteopath@clinic.example"
    patient_on_programme(ENROLLED)
    send_due(runner, now="2027-03-01T10:00:00Z")
    text = smtp.to("alex@example.org")[-1].get_body(("plain",)).get_content()
    assert "3 sets of 10, three times a week." in text


def test_an_empty_required_field_is_an_inline_error(desk, content):
    page = desk.get("/admin/content/programme")
    response = desk.post(
        "/admin/content/programme", data=programme_fields(page.text, dose="", save="Save")
    )
    assert response.status_code == 400
    assert "How much cannot be empty." in response.text
    assert current_programme().edited_at is None


def part_2() -> SeriesPart:
    return db.session.execute(select(SeriesPart).where(SeriesPart.number == 2)).scalar_one()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "not a url"])
def test_a_part_link_must_be_a_web_address(desk, content, url):
    path = f"/admin/content/parts/{part_2().id}"
    page = desk.get(path)
    response = desk.post(
        path,
        data={**form_tokens(page.text), "title": "Part 2", "summary": "Text.",
              "article_url": url, "save": "Save"},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert part_2().article_url == "" and part_2().edited_at is None


def test_editing_a_part_sets_its_link_and_relevance(desk, content):
    path = f"/admin/content/parts/{part_2().id}"
    page = desk.get(path)
    response = desk.post(
        path,
        data={**form_tokens(page.text), "title": "Part 2: Hip strength", "summary": "New.",
              "article_url": "https://clinic.example/blog/part-2",
              "triggers": ["walking", "standing"], "problems": ["hip_pelvis"], "save": "Save"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    part = part_2()
    assert part.article_url == "https://clinic.example/blog/part-2"
    assert part.triggers == ["walking", "standing"] and part.edited_at is not None
    assert "Part 2: Hip strength" in desk.get("/admin/content/").text


def test_unknown_part_is_a_404(desk, content):
    assert desk.get("/admin/content/parts/9999").status_code == 404
