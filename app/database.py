"""Connection settings that make SQLite behave as the service needs.

Every SQLite transaction starts with BEGIN IMMEDIATE, so a transaction that reads and then
writes never meets a lock upgrade it cannot win; the outbox claim relies on it. WAL lets readers
carry on while one writer works, and busy_timeout makes a second writer wait instead of failing.
secure_delete overwrites what a delete or an update removes, so erased text does not linger in
the file's free space (see `clear_erased_from_files` for the WAL).
"""

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


def settle_engine_options(app: Flask) -> None:
    """Check a pooled connection before use only where one can go stale.

    A server connection can be cut by a restart or an idle timeout, so each checkout first
    pings it; a SQLite file cannot go away like that, and the ping would be a wasted statement
    on every request.
    """
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    if not _is_sqlite(dbapi_connection):
        return
    # Hand transaction control to the "begin" hook below instead of the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_immediate(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


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
