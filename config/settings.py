"""Settings for every environment, each readable from the environment.

`.env.example` lists every variable. `APP_ENV` picks the class: production (the default, so a
server started without it is never left on development's public secret and open mail
catcher), development (what `make run` uses) or testing. Production refuses to start without
a real SECRET_KEY (see check_config in app/__init__.py).
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

# Written here, so known to everyone: production refuses to start with either.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
TESTING_SECRET_KEY = "testing-secret"
PUBLIC_SECRET_KEYS = frozenset({DEVELOPMENT_SECRET_KEY, TESTING_SECRET_KEY})


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_bool(name: str, default: bool) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def database_url(raw: str | None) -> str:
    """Normalise DATABASE_URL so a plain postgres:// URL uses the psycopg 3 driver."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'clinic.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


class Config:
    APP_ENV = "production"
    SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url(env("DATABASE_URL"))
    # hide_parameters: a database error's message (and so the error log) shows the SQL but
    # never the values, which would be names, addresses and health details.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    # Seconds a statement waits for another's lock before the page gives up with 503 and
    # Retry-After (nothing saved, the form shown again): SQLite's busy timeout, PostgreSQL's
    # lock_timeout.
    DATABASE_BUSY_TIMEOUT = float(env("DATABASE_BUSY_TIMEOUT", "10"))

    CLINIC_NAME = env("CLINIC_NAME", "Body for Life Osteopathy")
    CLINIC_PHONE = env("CLINIC_PHONE", "07710 466880")
    CLINIC_TIMEZONE = env("CLINIC_TIMEZONE", "Europe/London")
    CLINIC_NOTIFY_EMAIL = env("CLINIC_NOTIFY_EMAIL", "osteopath@clinic.example")
    # The address links in emails point at; emails are sent from the worker, outside a request.
    PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    MAIL_SERVER = env("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = env_int("MAIL_PORT", 1025)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env("MAIL_DEFAULT_SENDER", "clinic@clinic.example")
    MAIL_TIMEOUT = float(env("MAIL_TIMEOUT", "10"))
    # Flask-Mail would silently drop mail under TESTING; the tests read real SMTP instead.
    MAIL_SUPPRESS_SEND = False
    # The domain half of every Message-ID; stable so a resend carries the same ID.
    MAIL_MESSAGE_ID_DOMAIN = env("MAIL_MESSAGE_ID_DOMAIN", "clinic.example")

    OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 50)
    OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
    OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
    OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 6 * 3600)
    OUTBOX_POLL_SECONDS = float(env("OUTBOX_POLL_SECONDS", "5"))

    ENQUIRY_MIN_FILL_SECONDS = env_int("ENQUIRY_MIN_FILL_SECONDS", 4)
    # Fill-time tokens older than this are refused; the form is shown again with a fresh one.
    ENQUIRY_MAX_FORM_AGE_SECONDS = env_int("ENQUIRY_MAX_FORM_AGE_SECONDS", 24 * 3600)
    CONSENT_WORDING_VERSION = env("CONSENT_WORDING_VERSION", "2026-11")

    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 64 * 1024)
    WTF_CSRF_TIME_LIMIT = env_int("WTF_CSRF_TIME_LIMIT", 8 * 3600)

    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # Counters are stored under this prefix: clinics whose sites share one Redis need one each.
    RATELIMIT_KEY_PREFIX = env("RATELIMIT_KEY_PREFIX", "clinic-desk")
    ENQUIRY_RATE_LIMIT = env("ENQUIRY_RATE_LIMIT", "5 per minute;30 per hour")
    # The diary's calendar subscription, per address: calendar apps look every 15 minutes to
    # a few hours, so this never stops one, and it slows anyone trying addresses.
    CALENDAR_FEED_RATE_LIMIT = env("CALENDAR_FEED_RATE_LIMIT", "20 per hour")

    # Only failed tries count. A browser that has not signed in before is counted by its
    # address and by the account it tries; one that has (it holds a device cookie for that
    # account) is counted on its own, so guessing elsewhere never locks the osteopath out.
    SIGNIN_RATE_LIMIT = env("SIGNIN_RATE_LIMIT", "10 per 15 minutes")
    # How long a browser stays known after its last successful sign-in.
    DEVICE_COOKIE_DAYS = env_int("DEVICE_COOKIE_DAYS", 180)
    # OWASP's password storage cheat sheet gives scrypt N=2^17, r=8, p=1 as the minimum;
    # Werkzeug's own default (N=2^15) is below it. Tests may lower it only to run faster.
    STAFF_PASSWORD_HASH_METHOD = env("STAFF_PASSWORD_HASH_METHOD", "scrypt:131072:8:1")
    STAFF_PASSWORD_MIN_LENGTH = env_int("STAFF_PASSWORD_MIN_LENGTH", 12)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    # A desk session unused for this long is signed out; the next page asks to sign in again.
    DESK_IDLE_MINUTES = env_int("DESK_IDLE_MINUTES", 30)
    # However busy, a desk session ends this long after signing in.
    DESK_SESSION_MAX_HOURS = env_int("DESK_SESSION_MAX_HOURS", 12)
    # The demo account of `make run` has a published password. Deliberately not read from
    # the environment: only the development class allows it, and production refuses it.
    DEMO_ACCOUNTS_ALLOWED = False
    # How many proxies (load balancer, TLS terminator) stand in front of the site and set
    # X-Forwarded-*; 0 believes none of those headers. Set it to exactly the number in front.
    TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
    # Codes typed at the desk's second sign-in step (authenticator app or recovery code),
    # counted as sign-in tries are.
    TWO_FACTOR_RATE_LIMIT = env("TWO_FACTOR_RATE_LIMIT", "5 per 5 minutes")
    # The name an authenticator app shows beside the desk's codes.
    TWO_FACTOR_ISSUER = env("TWO_FACTOR_ISSUER", "Clinic desk")

    # The clinic's timing policy, read through app/policy.py (docs/policy.md).
    # Check-ins and the closing email are due at this clinic-clock time.
    PROGRAMME_SEND_TIME = env("PROGRAMME_SEND_TIME", "09:00")
    # The closing email follows the last check-in (day 42) by a couple of days, so the patient
    # has had time to answer it, and offers a review appointment.
    PROGRAMME_CLOSING_DAY = env_int("PROGRAMME_CLOSING_DAY", 44)
    # An evening reminder, the day before, is read before the day starts.
    BOOKING_REMINDER_TIME = env("BOOKING_REMINDER_TIME", "18:00")
    # Days each emailed link stays usable. A check-in link stays usable for a while after its
    # email, so a late answer still counts; a confirmation link long enough for someone who
    # reads their email late; a booking's own link for one booked at the far end of the
    # horizon, and a while after; an offer, until the times it names may have gone.
    CHECKIN_LINK_DAYS = env_int("CHECKIN_LINK_DAYS", 60)
    UNSUBSCRIBE_LINK_DAYS = env_int("UNSUBSCRIBE_LINK_DAYS", 365)
    CONFIRM_ADDRESS_LINK_DAYS = env_int("CONFIRM_ADDRESS_LINK_DAYS", 30)
    BOOKING_MANAGE_LINK_DAYS = env_int("BOOKING_MANAGE_LINK_DAYS", 180)
    BOOKING_OFFER_LINK_DAYS = env_int("BOOKING_OFFER_LINK_DAYS", 14)
    BOOKING_FROM_ENQUIRY_LINK_DAYS = env_int("BOOKING_FROM_ENQUIRY_LINK_DAYS", 60)

    # Enquiries that never led to a programme or an appointment are deleted after this long.
    RETENTION_MONTHS = env_int("RETENTION_MONTHS", 12)
    # Where each erasure's record numbers are appended (numbers only), to apply erasures
    # again after a backup is restored. Keep it out of the way of a restore, and copy it off the
    # machine with the backups.
    ERASURE_LOG_FILE = env("ERASURE_LOG_FILE", str(INSTANCE_DIR / "erasures.jsonl"))
    # A plain-text file whose paragraphs replace the built-in privacy page; unset keeps it.
    PRIVACY_NOTICE_FILE = env("PRIVACY_NOTICE_FILE")

    # Where `make run`'s mail catcher keeps what it receives; unset outside local development.
    DEV_MAILDIR = env("DEV_MAILDIR")


class DevelopmentConfig(Config):
    APP_ENV = "development"
    DEMO_ACCOUNTS_ALLOWED = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    DEV_MAILDIR = env("DEV_MAILDIR", str(INSTANCE_DIR / "mail"))


class TestingConfig(Config):
    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = TESTING_SECRET_KEY
    SESSION_COOKIE_SECURE = False
    ENQUIRY_MIN_FILL_SECONDS = 0
    RATELIMIT_ENABLED = False
    MAIL_TIMEOUT = float(env("MAIL_TIMEOUT", "5"))
    DEV_MAILDIR = None
    # A test that erases and wants the log gives it a file of its own.
    ERASURE_LOG_FILE = None


class ProductionConfig(Config):
    SECRET_KEY = env("SECRET_KEY")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    name = name or env("APP_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from None
