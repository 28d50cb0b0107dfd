"""The clinic desk: create_app() and the steps that assemble it."""

from pathlib import Path

from flask import Flask

from config.settings import INSTANCE_DIR, PROJECT_ROOT, PUBLIC_SECRET_KEYS, config_for

from . import errors, extensions, policy, security


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.from_object(config_for(config_name))
    app.config.update(overrides or {})
    check_config(app)
    register_extensions(app)
    security.register_security(app)
    register_blueprints(app)
    register_emails(app)
    errors.register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    return app


# Anyone holding SECRET_KEY can sign a session cookie that opens the desk.
MIN_SECRET_KEY_BYTES = 32
MAKE_A_SECRET_KEY = "python -c 'import secrets; print(secrets.token_hex(32))'"


def check_config(app: Flask) -> None:
    """Refuse to start with timing settings that cannot be used, and production with settings
    that would leave the desk open."""
    unusable = policy.problems(app.config)
    if unusable:
        raise RuntimeError("; ".join(unusable))
    if app.config["APP_ENV"] != "production":
        return
    if app.config["DEMO_ACCOUNTS_ALLOWED"]:
        raise RuntimeError("Demo accounts cannot be allowed in production")
    problem = _secret_key_problem(app.config.get("SECRET_KEY"))
    if problem:
        raise RuntimeError(f"{problem}. Make a random one with: {MAKE_A_SECRET_KEY}")


def _secret_key_problem(key: str | bytes | None) -> str | None:
    if not key:
        return "SECRET_KEY must be set in production"
    if key in PUBLIC_SECRET_KEYS:
        return "SECRET_KEY is the development or testing default, which everyone can read"
    if len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        return f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes long in production"
    return None


def register_extensions(app: Flask) -> None:
    from . import database, models  # noqa: F401  (SQLite settings; models known to migrate)

    database.settle_engine_options(app)
    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True
    )
    extensions.mail.init_app(app)
    extensions.csrf.init_app(app)
    extensions.login.init_app(app)
    extensions.limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from . import auth, bookings, devmail, enquiries, programme, public
    from .desk import bookings as desk_bookings
    from .desk import content as desk_content
    from .desk import enquiries as desk_enquiries
    from .desk import privacy as desk_privacy
    from .desk import programme as desk_programme
    from .desk import two_factor as desk_two_factor

    parts = [public, enquiries, programme, bookings, auth, desk_enquiries, desk_bookings,
             desk_programme, desk_content, desk_privacy, desk_two_factor]
    if app.config.get("DEV_MAILDIR"):
        parts.append(devmail)
    for part in parts:
        app.register_blueprint(part.bp)


def register_emails(app: Flask) -> None:
    from .emails import register_all

    register_all(app)


def register_template_helpers(app: Flask) -> None:
    from .clinical.screening import EMERGENCY_CODES
    from .templating import as_answer, iso_clinic_time, paragraphs
    from .timeutil import format_clinic_time

    app.jinja_env.filters["clinic_time"] = format_clinic_time
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["answer"] = as_answer
    app.jinja_env.filters["iso_clinic_time"] = iso_clinic_time
    app.jinja_env.globals["emergency_codes"] = EMERGENCY_CODES

    @app.context_processor
    def clinic_details() -> dict:
        return {
            "clinic_name": app.config["CLINIC_NAME"],
            "clinic_phone": app.config["CLINIC_PHONE"],
        }


def register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
