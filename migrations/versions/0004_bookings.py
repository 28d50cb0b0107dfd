"""bookings: diary settings, opening hours, closures and appointments

No two confirmed appointments may overlap, and the database itself refuses it, so that two
confirmations racing each other cannot both succeed whatever the code above does:
PostgreSQL with an exclusion constraint over the appointment's time range, SQLite (which has
none) with triggers that abort an insert or update making a confirmed overlap. Ranges are
half-open, so one appointment may end exactly when the next begins.

SQLite's batch mode rebuilds a table to alter it and loses its triggers: a later revision that
alters `appointment` in batch mode must create the two triggers again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 02:50:40.621276

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('booking_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_minutes', sa.Integer(), nullable=False),
    sa.Column('buffer_minutes', sa.Integer(), nullable=False),
    sa.Column('minimum_notice_hours', sa.Integer(), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('hold_hours', sa.Integer(), nullable=False),
    sa.Column('clinic_address', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('appointment_minutes > 0', name=op.f('ck_booking_settings_appointment_minutes_positive')),
    sa.CheckConstraint('buffer_minutes >= 0 AND minimum_notice_hours >= 0 AND hold_hours >= 0', name=op.f('ck_booking_settings_not_negative')),
    sa.CheckConstraint('horizon_days > 0', name=op.f('ck_booking_settings_horizon_days_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_settings'))
    )
    op.create_table('closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_closure_starts_before_ends')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure'))
    )
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closure_ends_at'), ['ends_at'], unique=False)

    op.create_table('opening_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.CheckConstraint('opens < closes', name=op.f('ck_opening_period_opens_before_closes')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_opening_period_weekday_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_period'))
    )
    with op.batch_alter_table('opening_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opening_period_weekday'), ['weekday'], unique=False)

    op.create_table('appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('patient_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('enquiry_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hold_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('preferred_times', sa.JSON(), nullable=False),
    sa.Column('offered_starts', sa.JSON(), nullable=False),
    sa.Column('decline_reason', sa.String(length=500), nullable=False),
    sa.Column('cancel_reason', sa.String(length=500), nullable=False),
    sa.Column('cancelled_by', sa.String(length=10), nullable=True),
    sa.Column('reschedule_requested', sa.Boolean(), nullable=False),
    sa.Column('reschedule_note', sa.String(length=1000), nullable=False),
    sa.Column('ics_uid', sa.String(length=200), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'confirmed' OR starts_at IS NOT NULL", name=op.f('ck_appointment_confirmed_has_time')),
    sa.CheckConstraint("status IN ('requested', 'offered', 'confirmed', 'declined', 'cancelled')", name=op.f('ck_appointment_status_known')),
    sa.CheckConstraint('(starts_at IS NULL AND ends_at IS NULL) OR starts_at < ends_at', name=op.f('ck_appointment_times_in_order')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_appointment_sequence_not_negative')),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiry.id'], name=op.f('fk_appointment_enquiry_id_enquiry'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment')),
    sa.UniqueConstraint('ics_uid', name=op.f('uq_appointment_ics_uid'))
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointment_enquiry_id'), ['enquiry_id'], unique=False)
        batch_op.create_index('ix_appointment_status_starts_at', ['status', 'starts_at'], unique=False)

    if op.get_context().dialect.name == 'postgresql':
        op.execute(
            "ALTER TABLE appointment ADD CONSTRAINT ex_appointment_confirmed_no_overlap "
            "EXCLUDE USING gist (tstzrange(starts_at, ends_at) WITH &&) "
            "WHERE (status = 'confirmed')"
        )
    else:
        for event, other_row in (('INSERT', ''), ('UPDATE', 'AND other.id <> NEW.id ')):
            op.execute(
                f"CREATE TRIGGER appointment_confirmed_no_overlap_{event.lower()} "
                f"BEFORE {event} ON appointment "
                "WHEN NEW.status = 'confirmed' "
                "BEGIN "
                "SELECT RAISE(ABORT, 'appointment overlaps a confirmed appointment') "
                "WHERE EXISTS (SELECT 1 FROM appointment AS other "
                "WHERE other.status = 'confirmed' "
                f"{other_row}"
                # SQLite holds UTC times as text in one fixed format, which sorts as time does.
                "AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at); "
                "END"
            )


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute("ALTER TABLE appointment DROP CONSTRAINT ex_appointment_confirmed_no_overlap")
    else:
        op.execute("DROP TRIGGER appointment_confirmed_no_overlap_update")
        op.execute("DROP TRIGGER appointment_confirmed_no_overlap_insert")
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_status_starts_at')
        batch_op.drop_index(batch_op.f('ix_appointment_enquiry_id'))
        batch_op.drop_index(batch_op.f('ix_appointment_email'))

    op.drop_table('appointment')
    with op.batch_alter_table('opening_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opening_period_weekday'))

    op.drop_table('opening_period')
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closure_ends_at'))

    op.drop_table('closure')
    op.drop_table('booking_settings')
