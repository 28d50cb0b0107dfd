"""indexes for every list and lookup on the desk, the public pages and the outbox

Each list and lookup was read with EXPLAIN on PostgreSQL and SQLite at 100,000 enquiries
(50,000 appointments, 350,000 emails); these were the ones that read a whole table, or every
row ever kept of one status, so that they slowed as the clinic's history grew:

- the desk's bookings list, newest first: every appointment read and sorted for one page;
- free slots (the booking page, and every check that a time is still free): confirmed
  appointments were found by start time, which means every one that started before the end of
  the booking horizon, so all of the past; what can still clash is what ends after now;
- the dashboard's patients asking to reschedule: every confirmed appointment read;
- the programme list's flags and filters (an email due this week, check-ins sent) found one
  enquiry's emails by the enquiry alone, or, as SQLite chose, by status and due time, which read
  every email due that week once for each patient ("Due an email this week" took 45 seconds at
  100,000 enquiries). The emails are now indexed by enquiry, status and due time, in place of
  the index on the enquiry alone;
- a person found by email address whatever its case (privacy requests, and a red flag pausing
  an earlier enquiry's programme): every enquiry and appointment read. The plain index on the
  enquiry's address served no query and goes;
- the desk's searches, which look for a word anywhere in a name or an email address
  (ILIKE '%...%'): no ordinary index can serve that. On PostgreSQL trigram indexes (the pg_trgm
  extension, shipped with PostgreSQL and allowed on the usual managed services) do; SQLite has
  none and still reads the table. See docs/deploy.md for a database role that may not create
  the extension.

The indexes are built inside the upgrade's transaction, which holds writes to these tables for
the time it takes (about a second at 100,000 enquiries); stop the outbox worker for the
upgrade, as docs/deploy.md says.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TRIGRAM = (
    ('enquiry', 'name'), ('enquiry', 'email'),
    ('appointment', 'patient_name'), ('appointment', 'email'),
)


def upgrade():
    op.create_index('ix_appointment_created_at_id', 'appointment', ['created_at', 'id'])
    op.create_index('ix_appointment_status_ends_at', 'appointment', ['status', 'ends_at'])
    op.create_index('ix_appointment_reschedule_requested_starts_at', 'appointment',
                    ['reschedule_requested', 'starts_at'])
    op.create_index('ix_appointment_email_lower', 'appointment', [sa.text('lower(email)')])
    op.drop_index('ix_enquiry_email', table_name='enquiry')
    op.create_index('ix_enquiry_email_lower', 'enquiry', [sa.text('lower(email)')])
    op.drop_index('ix_outbox_message_enquiry_id', table_name='outbox_message')
    op.create_index('ix_outbox_message_enquiry_id_status_due_at', 'outbox_message',
                    ['enquiry_id', 'status', 'due_at'])
    if op.get_context().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        for table, column in TRIGRAM:
            op.create_index(f'ix_{table}_{column}_trgm', table, [column],
                            postgresql_using='gin', postgresql_ops={column: 'gin_trgm_ops'})


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        # The extension stays: it may serve other objects, and unused it costs nothing.
        for table, column in reversed(TRIGRAM):
            op.drop_index(f'ix_{table}_{column}_trgm', table_name=table)
    op.drop_index('ix_outbox_message_enquiry_id_status_due_at', table_name='outbox_message')
    op.create_index('ix_outbox_message_enquiry_id', 'outbox_message', ['enquiry_id'])
    op.drop_index('ix_enquiry_email_lower', table_name='enquiry')
    op.create_index('ix_enquiry_email', 'enquiry', ['email'])
    op.drop_index('ix_appointment_email_lower', table_name='appointment')
    op.drop_index('ix_appointment_reschedule_requested_starts_at', table_name='appointment')
    op.drop_index('ix_appointment_status_ends_at', table_name='appointment')
    op.drop_index('ix_appointment_created_at_id', table_name='appointment')
