"""desk sessions kept on the server, and demo accounts marked

Signing out used to clear the browser's cookie only: a copy of it went on opening the desk
until it idled out. Each signed-in browser now has a desk_session row (the SHA-256 of a
random id that its signed cookie holds), which signing out, signing out everywhere, a new
password and turning the second step on or off end. Sessions in use when this revision runs
named the account, not a row, so they are refused afterwards: everyone signs in once more.

The demo account that `make run` makes has a published password; marked `demo`, it signs in
only in local development. The account it has always been made as, demo@clinic.example, is
marked here, so a database first used with `make run` and later served in production does not
let it in.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

DEMO_EMAIL = 'demo@clinic.example'


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('demo', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    staff_user = sa.table('staff_user', sa.column('email', sa.String),
                          sa.column('demo', sa.Boolean))
    op.execute(staff_user.update().where(staff_user.c.email == DEMO_EMAIL).values(demo=True))

    op.create_table('desk_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_desk_session_staff_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_desk_session_token_hash'))
    )
    with op.batch_alter_table('desk_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_session_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('desk_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_session_staff_id'))

    op.drop_table('desk_session')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('demo')
