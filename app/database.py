"""Connection settings that make SQLite behave as the service needs.

Every SQLite transaction starts with BEGIN IMMEDIATE, so a transaction that reads and then
writes never meets a lock upgrade it cannot win; the outbox claim relies on it. WAL lets readers
carry on while one writer works, and busy_timeout makes a second writer wait instead of failing.
"""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


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
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_immediate(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")
