"""Settings come from the environment, and production will not start with unsafe defaults."""

import pytest
from flask.sessions import SecureCookieSessionInterface

from app import create_app
from config.settings import DEVELOPMENT_SECRET_KEY, TESTING_SECRET_KEY, database_url

# What `python -c 'import secrets; print(secrets.token_hex(32))'` prints.
STRONG_KEY = "5f0c3a9e1d7b4c2a8e6f0b1d3c5a7e9f2b4d6c8a0e1f3b5d7c9a2e4f6b8d0c1a"


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


@pytest.mark.parametrize(
    "key",
    [None, "", DEVELOPMENT_SECRET_KEY, TESTING_SECRET_KEY, "x", "k" * 31, "é" * 15],
    ids=["unset", "empty", "development-default", "testing-default", "one-character",
         "31-bytes", "30-bytes-in-15-characters"],
)
def test_production_refuses_to_start_without_a_strong_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY") as refused:
        create_app("production", {"SECRET_KEY": key})
    # The message says how to make a good one.
    assert "python -c 'import secrets; print(secrets.token_hex(32))'" in str(refused.value)


def test_production_starts_with_a_random_key_of_32_bytes_or_more():
    for key in (STRONG_KEY, "k" * 32):
        production = create_app(
            "production", {"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
        )
        assert production.secret_key == key


def test_a_session_cookie_forged_with_the_development_key_opens_nothing():
    """The development key is public: a cookie signed with it must never open a production
    desk, whatever it claims."""
    development = create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    forged = SecureCookieSessionInterface().get_signing_serializer(development).dumps(
        {"_user_id": "1", "_fresh": True}
    )
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SECRET_KEY": DEVELOPMENT_SECRET_KEY})
    production = create_app(
        "production", {"SECRET_KEY": STRONG_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    client = production.test_client()
    client.set_cookie("session", forged)
    response = client.get("/admin/", base_url="https://localhost")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/sign-in")


def test_demo_accounts_cannot_be_allowed_in_production():
    with pytest.raises(RuntimeError, match="Demo accounts"):
        create_app("production", {"SECRET_KEY": STRONG_KEY, "DEMO_ACCOUNTS_ALLOWED": True})


def test_unknown_app_env_is_refused():
    with pytest.raises(RuntimeError, match="APP_ENV"):
        create_app("staging")


def test_mail_catcher_pages_exist_only_in_development():
    testing = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert testing.test_client().get("/dev/mail/").status_code == 404
    production = create_app(
        "production", {"SECRET_KEY": STRONG_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert "devmail.index" not in production.view_functions


def test_a_server_started_without_app_env_is_production(monkeypatch):
    from config.settings import ProductionConfig, config_for

    monkeypatch.delenv("APP_ENV")
    assert config_for(None) is ProductionConfig


@pytest.mark.parametrize(
    ("setting", "value", "complaint"),
    [
        ("PROGRAMME_SEND_TIME", "9am", "PROGRAMME_SEND_TIME must be a time of day"),
        ("BOOKING_REMINDER_TIME", "25:00", "BOOKING_REMINDER_TIME must be a time of day"),
        ("PROGRAMME_CLOSING_DAY", 42, "must come after the last check-in \\(day 42\\)"),
        ("CHECKIN_LINK_DAYS", 0, "CHECKIN_LINK_DAYS must be at least 1"),
        ("BOOKING_OFFER_LINK_DAYS", -3, "BOOKING_OFFER_LINK_DAYS must be at least 1"),
    ],
)
@pytest.mark.parametrize("config_name", ["testing", "production"])
def test_a_timing_setting_that_cannot_be_used_stops_the_start(config_name, setting, value,
                                                             complaint):
    with pytest.raises(RuntimeError, match=complaint):
        create_app(config_name, {"SECRET_KEY": STRONG_KEY, setting: value})


def test_the_offer_form_has_a_place_for_every_time_that_may_be_offered():
    from app.desk.bookings.forms import ProposeForm
    from app.policy import MAX_OFFERED_TIMES

    places = [name for name in vars(ProposeForm) if name.startswith("slot_")]
    assert len(places) == MAX_OFFERED_TIMES
