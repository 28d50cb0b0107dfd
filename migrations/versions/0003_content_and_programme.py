"""content and the programme

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 02:44:25.607909

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('evenness', sa.Text(), nullable=False),
    sa.Column('dose', sa.Text(), nullable=False),
    sa.Column('progression', sa.Text(), nullable=False),
    sa.Column('equipment', sa.Text(), nullable=False),
    sa.Column('gym_alternatives', sa.Text(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('edited_by', sa.String(length=254), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme')),
    sa.UniqueConstraint('slug', name=op.f('uq_programme_slug'))
    )
    op.create_table('series_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=200), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('article_url', sa.String(length=500), nullable=False),
    sa.Column('placeholder', sa.Boolean(), nullable=False),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('edited_by', sa.String(length=254), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_part')),
    sa.UniqueConstraint('slug', name=op.f('uq_series_part_slug'))
    )
    op.create_table('enrolment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enquiry_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('pain_at_enrolment', sa.Integer(), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('part_reasons', sa.JSON(), nullable=False),
    sa.Column('parts_chosen_by', sa.String(length=254), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_reason', sa.String(length=300), nullable=False),
    sa.CheckConstraint("status IN ('active', 'paused', 'stopped', 'unsubscribed')", name=op.f('ck_enrolment_status_known')),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiry.id'], name=op.f('fk_enrolment_enquiry_id_enquiry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
    sa.UniqueConstraint('enquiry_id', name=op.f('uq_enrolment_enquiry_id'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index('ix_enrolment_status_enrolled_at', ['status', 'enrolled_at'], unique=False)

    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sessions_per_week', sa.Integer(), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('repetitions', sa.Integer(), nullable=False),
    sa.Column('effort', sa.String(length=12), nullable=False),
    sa.Column('knees_very_wide', sa.Boolean(), nullable=False),
    sa.Column('weaker_side', sa.String(length=8), nullable=False),
    sa.Column('band', sa.String(length=80), nullable=False),
    sa.Column('pain_score', sa.Integer(), nullable=False),
    sa.Column('red_flags', sa.JSON(), nullable=False),
    sa.Column('advice', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.CheckConstraint('pain_score BETWEEN 0 AND 10', name=op.f('ck_checkin_pain_score_range')),
    sa.CheckConstraint('week IN (2, 4, 6)', name=op.f('ck_checkin_week_known')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_checkin_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin')),
    sa.UniqueConstraint('enrolment_id', 'week', name='uq_checkin_enrolment_week')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_enrolment_id'), ['enrolment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_enrolment_id'))

    op.drop_table('checkin')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index('ix_enrolment_status_enrolled_at')

    op.drop_table('enrolment')
    op.drop_table('series_part')
    op.drop_table('programme')
