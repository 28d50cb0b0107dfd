"""ids never reused on SQLite

Links in emails name a record by its id (a booking to manage, a check-in to answer), and outbox
keys are built from ids. SQLite gives a new row the largest id in the table plus one, so after
the newest enquiry, booking or enrolment was erased the next one would get the same id: the
erased person's old link would open the new person's record, and the new person's emails would
look already sent. AUTOINCREMENT makes SQLite, like PostgreSQL's sequences, never hand out an
id twice.

SQLite can only declare AUTOINCREMENT when a table is created, so each table is rebuilt from its
own stored definition (CHECK constraints, foreign keys and defaults exactly as they are), its
rows copied with their ids, and its indexes and triggers (the double-booking triggers of 0004)
created again. Its counter then starts after the largest number any kept email's key names,
so a number erased before this revision is not given out again either. Foreign keys are
switched off for SQLite migrations in env.py, as SQLite's documented procedure for rebuilding
a table requires, and checked before this revision commits.
Nothing to do on PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 04:40:00

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TABLES = ('enquiry', 'enquiry_reply', 'enrolment', 'appointment')
# The numbers already handed out but no longer in a table (erased, purged) are still named by
# the outbox rows kept about them: for each table, the largest number its keys name. SQLite's
# CAST takes the number at the start of the text ('42:acknowledgement' gives 42).
NAMED_IN_KEYS = {
    'enquiry': "SELECT max(CAST(substr(idempotency_key, 9) AS INTEGER)) FROM outbox_message "
               "WHERE idempotency_key LIKE 'enquiry:%'",
    'enquiry_reply': "SELECT max(CAST(substr(idempotency_key, instr(idempotency_key, ':reply:')"
                     " + 7) AS INTEGER)) FROM outbox_message "
                     "WHERE idempotency_key LIKE 'enquiry:%:reply:%'",
    'enrolment': "SELECT max(CAST(substr(idempotency_key, instr(idempotency_key, ':') + 1) "
                 "AS INTEGER)) FROM outbox_message "
                 "WHERE idempotency_key LIKE 'programme:%' OR idempotency_key LIKE 'checkin:%'",
    'appointment': "SELECT max(CAST(substr(idempotency_key, 13) AS INTEGER)) FROM "
                   "outbox_message WHERE idempotency_key LIKE 'appointment:%'",
}


def upgrade():
    if op.get_context().dialect.name != 'sqlite':
        return
    for table in TABLES:
        _rebuild(table, _with_autoincrement)
        _count_past_numbers_in_keys(table)
    _check_foreign_keys()


def downgrade():
    if op.get_context().dialect.name != 'sqlite':
        return
    for table in TABLES:
        _rebuild(table, _without_autoincrement)
    _check_foreign_keys()


def _with_autoincrement(table: str, sql: str) -> str:
    sql = _replace_once(sql, r'\tCONSTRAINT pk_%s PRIMARY KEY \(id\), \n' % table, '')
    return _replace_once(
        sql, r'\tid INTEGER NOT NULL, ',
        '\tid INTEGER NOT NULL CONSTRAINT pk_%s PRIMARY KEY AUTOINCREMENT, ' % table,
    )


def _without_autoincrement(table: str, sql: str) -> str:
    sql = _replace_once(
        sql, r'\tid INTEGER NOT NULL CONSTRAINT pk_%s PRIMARY KEY AUTOINCREMENT, ' % table,
        '\tid INTEGER NOT NULL, ',
    )
    # The table-level key goes back before the first other table constraint, as SQLAlchemy
    # wrote it.
    return _replace_once(
        sql, r'\n\tCONSTRAINT ', '\n\tCONSTRAINT pk_%s PRIMARY KEY (id), \n\tCONSTRAINT ' % table,
    )


def _replace_once(sql: str, pattern: str, replacement: str) -> str:
    new, count = re.subn(pattern, lambda _: replacement, sql, count=1)
    if count != 1:
        raise RuntimeError(f'unexpected table definition, could not find {pattern!r}')
    return new


def _count_past_numbers_in_keys(table: str) -> None:
    """Start the table's counter after every number it ever gave out that an email still names.

    An erased newest record left its number free before this revision; given again, the new
    record's emails would have the old one's keys, and so look already sent.
    """
    conn = op.get_bind()
    named = conn.exec_driver_sql(NAMED_IN_KEYS[table]).scalar() or 0
    highest = conn.exec_driver_sql(f'SELECT coalesce(max(id), 0) FROM {table}').scalar()
    conn.exec_driver_sql('DELETE FROM sqlite_sequence WHERE name = ?', (table,))
    conn.exec_driver_sql(
        'INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', (table, max(named, highest))
    )


def _check_foreign_keys() -> None:
    """Foreign keys are off while SQLite migrates (env.py); nothing may be left dangling."""
    broken = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').all()
    if broken:
        raise RuntimeError(f'the rebuild left broken foreign keys: {broken[:5]}')


def _rebuild(table: str, change) -> None:
    conn = op.get_bind()
    schema = conn.execute(
        sa.text("SELECT type, sql FROM sqlite_master WHERE tbl_name = :t AND sql IS NOT NULL"),
        {'t': table},
    ).all()
    created = next(sql for kind, sql in schema if kind == 'table')
    others = [sql for kind, sql in schema if kind in ('index', 'trigger')]
    new_sql = change(table, created)
    new_sql = _replace_once(
        new_sql, r'^CREATE TABLE "?%s"? \(' % table, 'CREATE TABLE %s__rebuilt (' % table
    )
    op.execute(new_sql)
    op.execute(f'INSERT INTO {table}__rebuilt SELECT * FROM {table}')
    op.execute(f'DROP TABLE {table}')
    op.execute(f'ALTER TABLE {table}__rebuilt RENAME TO {table}')
    for sql in others:
        op.execute(sql)
