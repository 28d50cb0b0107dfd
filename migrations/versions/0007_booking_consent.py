"""consent recorded with booking requests

A booking request keeps the patient's agreement to be contacted, with the version of the words
they agreed to and when, as an enquiry does. Requests from before it was asked keep an empty
version and no time.

Plain ADD COLUMN rather than SQLite's batch mode, which would rebuild `appointment` and drop
the triggers that refuse double bookings (see 0004).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 03:34:49.163429

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'appointment',
        sa.Column('consent_version', sa.String(length=20), nullable=False, server_default=''),
    )
    op.add_column('appointment', sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # Also plain DROP COLUMN (SQLite 3.35+), for the same reason.
    op.drop_column('appointment', 'consent_at')
    op.drop_column('appointment', 'consent_version')
