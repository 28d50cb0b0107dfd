"""Connection settings that make SQLite behave as the service needs, and what "busy" means.

Every SQLite transaction starts with BEGIN IMMEDIATE, so a transaction that reads and then
writes never meets a lock upgrade it cannot win; the outbox claim relies on it. WAL lets readers
carry on while one writer works, and the busy timeout makes a second writer wait instead of
failing. secure_delete overwrites what a delete or an update removes, so erased text does not
linger in the file's free space (see `clear_erased_from_files` for the WAL).
"""

import sqlite3

import psycopg
from flask import Flask, current_app
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from .extensions import db

# PostgreSQL's answers that mean "busy, try again soon": a lock not granted within
# lock_timeout, a statement cancelled by statement_timeout, no connection slot left. Every
# connection exception (class 08) means the same.
POSTGRES_BUSY_STATES = frozenset({"55P03", "57014", "53300"})
POSTGRES_CONNECTION_CLASS = "08"
SQLITE_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
# A connection's transactions begin DEFERRED on SQLite when it carries this option.
READ_ONLY = "clinic_read_only"


def settle_engine_options(app: Flask) -> None:
    """Check a pooled connection before use only where one can go stale, and wait at most
    DATABASE_BUSY_TIMEOUT seconds for another writer's lock.

    A server connection can be cut by a restart or an idle timeout, so each checkout first
    pings it; a SQLite file cannot go away like that, and the ping would be a wasted statement
    on every request. The wait is SQLite's busy timeout and PostgreSQL's lock_timeout: past it
    the statement fails, and a page answers 503 instead of hanging (`is_busy`).
    """
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    wait = float(app.config["DATABASE_BUSY_TIMEOUT"])
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        options.pop("pool_pre_ping", None)
        waiting = {"timeout": wait}
    elif url.startswith("postgresql"):
        waiting = {"options": f"-c lock_timeout={round(wait * 1000)}"}
    else:
        waiting = {}
    options["connect_args"] = {**waiting, **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def is_busy(error: BaseException) -> bool:
    """Whether a database error means "busy, try again soon" rather than a fault: SQLite's
    lock still held past the busy timeout, or PostgreSQL's lock or statement timeout, no
    connection slot, or no connection at all."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if isinstance(original, sqlite3.Error):
        # Extended codes (SQLITE_BUSY_SNAPSHOT and the like) carry the primary code in the
        # low byte.
        return getattr(original, "sqlite_errorcode", 0) & 0xFF in SQLITE_BUSY_CODES
    if isinstance(original, psycopg.Error):
        state = original.sqlstate
        if state is None:  # the server was never reached, or the connection was lost
            return isinstance(original, psycopg.OperationalError)
        return state in POSTGRES_BUSY_STATES or state.startswith(POSTGRES_CONNECTION_CLASS)
    return False


def busy_reason(error: DBAPIError) -> str:
    """A few words for the log: the driver's code, never the statement or its values."""
    original = error.orig
    code = getattr(original, "sqlite_errorname", None) or getattr(original, "sqlstate", None)
    return f"{type(original).__name__} {code or 'no connection'}"


def read_only_from_here() -> None:
    """Give up the session's transaction, and let what this request still does only read.

    On SQLite the session's next transaction begins DEFERRED, so it reads while another
    connection holds the write lock (WAL lets it); a write in it fails at once. Where no
    connection can be had at all, the rest of the request reads nothing or fails again.
    """
    db.session.rollback()
    try:
        db.session.connection(execution_options={READ_ONLY: True})
    except DBAPIError as error:
        if not is_busy(error):
            raise
        db.session.rollback()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    if not _is_sqlite(dbapi_connection):
        return
    # Hand transaction control to the "begin" hook below instead of the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_immediate(conn) -> None:
    if conn.dialect.name == "sqlite":
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def clear_erased_from_files() -> bool:
    """After an erasure or a purge has committed, copy SQLite's WAL into the database file and
    empty it, so that a copy of the files taken now holds nothing that was removed.

    The WAL keeps the old pages until a checkpoint, which SQLite would otherwise run only once
    the WAL has grown. A reader in another process can keep the checkpoint from finishing:
    then this returns False, and the next checkpoint completes it. PostgreSQL works otherwise
    (docs/privacy.md).
    """
    if db.engine.dialect.name != "sqlite":
        return True
    # A raw connection runs the pragma outside a transaction, as a checkpoint must be.
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        busy, _, _ = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.close()
    finally:
        connection.close()
    if busy:
        current_app.logger.warning("the database is in use: removed records stay in its "
                                   "write-ahead log until the next checkpoint")
    return not busy


def never_issue_again(table: str, number: int) -> None:
    """Move the table's counter of record numbers past `number`, if it is not past it already.

    After a backup is restored the counter is the backup's: without this, a new record could
    take the number of one erased since, which the erased person's old links still name.
    """
    if db.engine.dialect.name == "sqlite":
        # The tables whose numbers matter are AUTOINCREMENT (migration 0008): their counter is
        # a row of sqlite_sequence, missing until the table's first insert.
        db.session.execute(text(
            "UPDATE sqlite_sequence SET seq = :number WHERE name = :table AND seq < :number"
        ), {"table": table, "number": number})
        db.session.execute(text(
            "INSERT INTO sqlite_sequence (name, seq) SELECT :table, :number WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = :table)"
        ), {"table": table, "number": number})
    else:
        db.session.execute(text(
            "SELECT setval(counter, greatest(:number, "
            "coalesce(pg_sequence_last_value(counter::regclass), 0))) "
            "FROM pg_get_serial_sequence(:table, 'id') AS counter"
        ), {"table": table, "number": number})
