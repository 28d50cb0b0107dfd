"""Settings come from the environment, and production will not start with unsafe defaults."""

import pytest

from app import create_app
from config.settings import database_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://u:p@db:5432/clinic", "postgresql+psycopg://u:p@db:5432/clinic"),
        ("postgresql://u@db/clinic", "postgresql+psycopg://u@db/clinic"),
        ("postgresql+psycopg://u@db/clinic", "postgresql+psycopg://u@db/clinic"),
        ("sqlite:////srv/clinic.db", "sqlite:////srv/clinic.db"),
    ],
)
def test_database_url_uses_psycopg_for_postgres(raw, expected):
    assert database_url(raw) == expected


def test_database_url_defaults_to_sqlite_in_instance_folder():
    url = database_url(None)
    assert url.startswith("sqlite:///") and url.endswith("instance/clinic.db")


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SECRET_KEY": None})


def test_unknown_app_env_is_refused():
    with pytest.raises(RuntimeError, match="APP_ENV"):
        create_app("staging")


def test_mail_catcher_pages_exist_only_in_development():
    testing = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert testing.test_client().get("/dev/mail/").status_code == 404
    production = create_app(
        "production", {"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert "devmail.index" not in production.view_functions


def test_a_server_started_without_app_env_is_production(monkeypatch):
    from config.settings import ProductionConfig, config_for

    monkeypatch.delenv("APP_ENV")
    assert config_for(None) is ProductionConfig
