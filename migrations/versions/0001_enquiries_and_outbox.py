"""enquiries and the outbox

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 02:35:47.468112

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enquiry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('problem', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('duration', sa.String(length=20), nullable=False),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('trigger_other', sa.String(length=200), nullable=False),
    sa.Column('pain_score', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('wants_appointment', sa.Boolean(), nullable=False),
    sa.Column('red_flags', sa.JSON(), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('consent_contact', sa.Boolean(), nullable=False),
    sa.Column('consent_followup', sa.Boolean(), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_ref', sa.String(length=64), nullable=True),
    sa.CheckConstraint("urgency IN ('none', 'urgent', 'emergency')", name=op.f('ck_enquiry_urgency_known')),
    sa.CheckConstraint('pain_score BETWEEN 0 AND 10', name=op.f('ck_enquiry_pain_score_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enquiry'))
    )
    with op.batch_alter_table('enquiry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enquiry_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_enquiry_email'), ['email'], unique=False)
        batch_op.create_index('ix_enquiry_urgency_created_at', ['urgency', 'created_at'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('template', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('recipient_name', sa.String(length=120), nullable=False),
    sa.Column('reply_to', sa.String(length=254), nullable=True),
    sa.Column('subject', sa.String(length=250), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('enquiry_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('refused_recipients', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')", name=op.f('ck_outbox_message_status_known')),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiry.id'], name=op.f('fk_outbox_message_enquiry_id_enquiry'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_message_idempotency_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_enquiry_id'), ['enquiry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_recipient'), ['recipient'], unique=False)
        batch_op.create_index('ix_outbox_message_status_due_at', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_outbox_message_status_lease_until', ['status', 'lease_until'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_status_lease_until')
        batch_op.drop_index('ix_outbox_message_status_due_at')
        batch_op.drop_index(batch_op.f('ix_outbox_message_recipient'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_enquiry_id'))

    op.drop_table('outbox_message')
    with op.batch_alter_table('enquiry', schema=None) as batch_op:
        batch_op.drop_index('ix_enquiry_urgency_created_at')
        batch_op.drop_index(batch_op.f('ix_enquiry_email'))
        batch_op.drop_index(batch_op.f('ix_enquiry_created_at'))

    op.drop_table('enquiry')
