"""staff accounts for the desk, and replies to enquiries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 02:43:57.990670

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_user_email'))
    )
    op.create_table('enquiry_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enquiry_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiry.id'], name=op.f('fk_enquiry_reply_enquiry_id_enquiry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_enquiry_reply_staff_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enquiry_reply')),
    sa.UniqueConstraint('form_token', name=op.f('uq_enquiry_reply_form_token'))
    )
    with op.batch_alter_table('enquiry_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enquiry_reply_enquiry_id'), ['enquiry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enquiry_reply_staff_id'), ['staff_id'], unique=False)

    # The desk lists new enquiries newest first.
    with op.batch_alter_table('enquiry', schema=None) as batch_op:
        batch_op.create_index('ix_enquiry_status_created_at', ['status', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('enquiry', schema=None) as batch_op:
        batch_op.drop_index('ix_enquiry_status_created_at')

    with op.batch_alter_table('enquiry_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquiry_reply_staff_id'))
        batch_op.drop_index(batch_op.f('ix_enquiry_reply_enquiry_id'))

    op.drop_table('enquiry_reply')
    op.drop_table('staff_user')
