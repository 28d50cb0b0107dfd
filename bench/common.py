"""What every benchmark shares: the machine, databases, processes and timing."""

import os
import platform
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
# Every database the run makes on that server is named with this prefix, so that a run can be
# kept to names of its own.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "clinic_bench")
# Nothing here should come near it; it only stops a wedged process from hanging the run.
HANG_GUARD_SECONDS = 300


def postgres_url(database: str) -> str:
    return f"{POSTGRES_SERVER.rstrip('/')}/{database}"


def fresh_postgres(database: str) -> str:
    """Drop and create a database of the benchmark's own; returns its SQLAlchemy URL."""
    admin = sa.create_engine(
        sa.make_url(postgres_url("postgres")).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return postgres_url(database).replace("postgresql://", "postgresql+psycopg://", 1)


def drop_postgres(database: str) -> None:
    admin = sa.create_engine(
        sa.make_url(postgres_url("postgres")).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


def migrated(url: str) -> str:
    """Build the schema with the real migrations, as `flask db upgrade` does."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def machine() -> dict[str, str]:
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    engine = sa.create_engine(
        sa.make_url(postgres_url("postgres")).set(drivername="postgresql+psycopg")
    )
    try:
        with engine.connect() as conn:
            postgres = conn.execute(sa.text("SHOW server_version")).scalar()
    except sa.exc.OperationalError:
        postgres = "not reachable"
    engine.dispose()
    return {
        "CPU cores": str(os.cpu_count()),
        "memory": memory,
        "CPU": _cpu_model(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": postgres,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process ended early: {process.args}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port}")


# One key for every server and worker of a run, as production shares one.
SECRET_KEY = secrets.token_hex(32)


def base_env(**settings) -> dict[str, str]:
    """The environment of a server or worker: production settings, nothing from a .env file."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MAIL_", "OUTBOX_", "DATABASE_URL", "RATELIMIT_", "ENQUIRY_"))
    }
    env.update(APP_ENV="production", SECRET_KEY=SECRET_KEY, FLASK_SKIP_DOTENV="1")
    env.update({name: str(value) for name, value in settings.items()})
    return env


@contextmanager
def running(args: list[str], env: dict[str, str], port: int | None = None, **popen):
    """A process for the length of the block; stopped (TERM, then KILL) on the way out."""
    process = subprocess.Popen(args, cwd=PROJECT_ROOT, env=env, **popen)
    try:
        if port is not None:
            wait_for_port(port, process)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def median_seconds(fn, repeat: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
