"""the diary as a private calendar subscription, and attendance

- `calendar_feed`: at most one row, the private address of the clinic's diary for a calendar
  app. It keeps a random seed (the secret is derived from it with the app's SECRET_KEY, to show
  the address again on the desk) and the secret's SHA-256, unique, by which a request finds
  it; never the secret itself. Revoking deletes the row.
- `appointment.attendance` ('attended' or 'did_not_attend', NULL until marked) and
  `appointment.attendance_marked_at`. Existing appointments stay unmarked.

As in 0011, plain ADD COLUMN rather than SQLite's batch mode, which would rebuild `appointment`
and drop the triggers that refuse double bookings (see 0004) and the AUTOINCREMENT of 0008.
SQLite cannot add a constraint to a table, so there the check rides on the column itself
(same name, same rule); PostgreSQL adds it to the table as the model declares it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

ATTENDANCE_CHECK = "attendance IN ('attended', 'did_not_attend')"


def upgrade():
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_calendar_feed_secret_hash'))
    )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE appointment ADD COLUMN attendance VARCHAR(20) "
                   f"CONSTRAINT ck_appointment_attendance_known CHECK ({ATTENDANCE_CHECK})")
    else:
        op.add_column('appointment', sa.Column('attendance', sa.String(length=20),
                                               nullable=True))
        op.create_check_constraint(op.f('ck_appointment_attendance_known'), 'appointment',
                                   ATTENDANCE_CHECK)
    op.add_column('appointment', sa.Column('attendance_marked_at', sa.DateTime(timezone=True),
                                           nullable=True))


def downgrade():
    op.drop_column('appointment', 'attendance_marked_at')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_appointment_attendance_known'), 'appointment',
                           type_='check')
    # On SQLite the column's own check goes with it (DROP COLUMN, SQLite 3.35+).
    op.drop_column('appointment', 'attendance')
    op.drop_table('calendar_feed')
