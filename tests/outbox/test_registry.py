"""Every email is registered with what it is rendered from, and one that is not is refused."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from app.models import OutboxMessage
from app.outbox.registry import (
    NO_BUILDER,
    UnregisteredEmail,
    build_context,
    register,
    registered_templates,
)

EMAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "email"


@pytest.fixture
def plain_app():
    app = create_app("testing")
    with app.app_context():
        yield app


def test_every_email_template_is_registered_and_every_registration_has_a_template(plain_app):
    templates = {path.stem for path in EMAIL_TEMPLATES.glob("*.txt")
                 if not path.name.startswith("_")}
    assert registered_templates(plain_app) == templates
    for name in templates:
        assert (EMAIL_TEMPLATES / f"{name}.html").is_file()


def test_a_template_nobody_registered_is_refused_not_rendered_blank(plain_app):
    row = OutboxMessage(template="no_such_email", context={"name": "Sam"})
    with pytest.raises(UnregisteredEmail, match="no_such_email"):
        build_context(row)


def test_a_template_registered_without_a_builder_renders_from_its_own_context(plain_app):
    register(plain_app, {"plain_notice": NO_BUILDER})
    row = OutboxMessage(template="plain_notice", context={"name": "Sam"})
    assert build_context(row) == {"name": "Sam"}


def test_a_template_cannot_be_registered_twice(plain_app):
    with pytest.raises(ValueError, match="enquiry_reply"):
        register(plain_app, {"enquiry_reply": NO_BUILDER})


def test_an_email_nobody_registered_is_refused_where_it_is_enqueued(app, db):
    from app.outbox.service import enqueue

    with pytest.raises(UnregisteredEmail, match="no_such_email"):
        enqueue(key="test:unregistered", template="no_such_email", to="sam@example.org",
                subject="Hello")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
