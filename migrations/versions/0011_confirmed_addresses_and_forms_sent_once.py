"""confirmed addresses, forms saved once, and one held slot per client

- `enquiry.email_confirmed_at`: when the person pressed the link in their acknowledgement (or
  the osteopath checked the address with them). The programme starts only then, so a typed
  address that is someone else's gets no programme emails. Enquiries from before this revision
  stay unconfirmed: the address was never proved, and the desk says so.
- `enquiry.submission_key` and `appointment.submission_key`: a one-time key issued with the
  public form, unique, so the same form sent twice (a double click, a resend, two tabs) finds
  the first record instead of adding a second. Older rows have none (NULL is never equal to
  NULL, so they do not clash).
- `appointment.client_hash`: a keyed hash (HMAC with the app's secret) of the network address
  a request with a held slot came from, never the address itself, so that one client holds
  one slot at a time. Indexed, as each held request looks for the client's earlier hold.

Plain ADD COLUMN and CREATE INDEX rather than SQLite's batch mode, which would rebuild
`appointment` and drop the triggers that refuse double bookings (see 0004), and would rebuild
both tables without the AUTOINCREMENT that 0008 gave them. SQLite cannot add a UNIQUE column,
so each key's uniqueness is a unique index, on both databases alike.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('enquiry', sa.Column('email_confirmed_at', sa.DateTime(timezone=True),
                                       nullable=True))
    op.add_column('enquiry', sa.Column('submission_key', sa.String(length=64), nullable=True))
    op.create_index('ix_enquiry_submission_key', 'enquiry', ['submission_key'], unique=True)
    op.add_column('appointment', sa.Column('submission_key', sa.String(length=64),
                                           nullable=True))
    op.create_index('ix_appointment_submission_key', 'appointment', ['submission_key'],
                    unique=True)
    op.add_column('appointment', sa.Column('client_hash', sa.String(length=64), nullable=True))
    op.create_index('ix_appointment_client_hash', 'appointment', ['client_hash'])


def downgrade():
    # Also plain DROP INDEX and DROP COLUMN (SQLite 3.35+), for the same reasons.
    op.drop_index('ix_appointment_client_hash', table_name='appointment')
    op.drop_column('appointment', 'client_hash')
    op.drop_index('ix_appointment_submission_key', table_name='appointment')
    op.drop_column('appointment', 'submission_key')
    op.drop_index('ix_enquiry_submission_key', table_name='enquiry')
    op.drop_column('enquiry', 'submission_key')
    op.drop_column('enquiry', 'email_confirmed_at')
