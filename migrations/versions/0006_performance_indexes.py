"""performance indexes: the desk's programme list, newest enrolment first

The programme list shows 25 enrolments at a time, most recently enrolled first. Without an
index on that order the database read and sorted every enrolment for each page; with it the
page is read from the end of the index. Found by the growth benchmark (docs/performance.md).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 03:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_enrolment_enrolled_at_id', 'enrolment', ['enrolled_at', 'id'])


def downgrade():
    op.drop_index('ix_enrolment_enrolled_at_id', table_name='enrolment')
