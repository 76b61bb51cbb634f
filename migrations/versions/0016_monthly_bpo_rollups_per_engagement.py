"""monthly rollups of BPO figures per engagement

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    money = sa.Numeric(precision=14, scale=2)
    op.create_table(
        'bpo_monthly_rollups',
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('reported', sa.Integer(), nullable=False),
        sa.Column('met', sa.Integer(), nullable=False),
        sa.Column('critical_reported', sa.Integer(), nullable=False),
        sa.Column('critical_met', sa.Integer(), nullable=False),
        sa.Column('worst_critical', sa.Integer(), nullable=False),
        sa.Column('breaches', sa.Integer(), nullable=False),
        sa.Column('critical_breaches', sa.Integer(), nullable=False),
        sa.Column('credits', sa.Integer(), nullable=False),
        sa.Column('gross', money, nullable=False),
        sa.Column('earned_back', money, nullable=False),
        sa.Column('pending', money, nullable=False),
        sa.Column('waived', money, nullable=False),
        sa.Column('payable', money, nullable=False),
        sa.Column('pending_until', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ['engagement_id'],
            ['engagements.id'],
            name=op.f('fk_bpo_monthly_rollups_engagement_id_engagements'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('engagement_id', 'month', name=op.f('pk_bpo_monthly_rollups')),
    )
    with op.batch_alter_table('bpo_monthly_rollups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bpo_monthly_rollups_month'), ['month'], unique=False)

    # Fill the rollups of the results already stored, from the app's pure rules (the same code
    # that keeps them current and that `flask rollups check` compares with).
    from vendor_tracker.engagements.bpo.rollups import rebuild_all

    rebuild_all(op.get_bind())


def downgrade():
    with op.batch_alter_table('bpo_monthly_rollups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bpo_monthly_rollups_month'))

    op.drop_table('bpo_monthly_rollups')
