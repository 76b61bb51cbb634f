"""bpo month reports and credit disputes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bpo_month_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('submitted', 'verified', 'disputed', name='reportstate', native_enum=False, length=10), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_bpo_month_reports_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_bpo_month_reports_engagement_id_engagements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bpo_month_reports')),
    sa.UniqueConstraint('engagement_id', 'period', name=op.f('uq_bpo_month_reports_engagement_id_period'))
    )
    op.create_table('bpo_month_report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('submitted', 'verified', 'disputed', name='reportstate', native_enum=False, length=10), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_bpo_month_report_events_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['bpo_month_reports.id'], name=op.f('fk_bpo_month_report_events_report_id_bpo_month_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bpo_month_report_events'))
    )
    with op.batch_alter_table('bpo_month_report_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bpo_month_report_events_report_id'), ['report_id'], unique=False)

    op.create_table('bpo_credit_disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('service_level_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('category', sa.Enum('client_caused', 'force_majeure', 'measurement_error', 'other', name='disputecategory', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('open', 'upheld', 'waived', name='disputestate', native_enum=False, length=10), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_bpo_credit_disputes_engagement_id_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_bpo_credit_disputes_raised_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_bpo_credit_disputes_resolved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_level_id'], ['bpo_service_levels.id'], name=op.f('fk_bpo_credit_disputes_service_level_id_bpo_service_levels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bpo_credit_disputes'))
    )
    with op.batch_alter_table('bpo_credit_disputes', schema=None) as batch_op:
        batch_op.create_index('ix_bpo_credit_disputes_engagement_state', ['engagement_id', 'state'], unique=False)


def downgrade():
    with op.batch_alter_table('bpo_credit_disputes', schema=None) as batch_op:
        batch_op.drop_index('ix_bpo_credit_disputes_engagement_state')

    op.drop_table('bpo_credit_disputes')
    with op.batch_alter_table('bpo_month_report_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bpo_month_report_events_report_id'))

    op.drop_table('bpo_month_report_events')
    op.drop_table('bpo_month_reports')
