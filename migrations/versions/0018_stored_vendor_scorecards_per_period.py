"""stored vendor scorecards per period, and each vendor's generation of figures

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:00:00.000000

Both tables start empty: the first reader of a period scores the vendors and stores the rows
(`reporting.score_store.fresh_scores`), or `flask rollups rebuild vendor-scores` does it at once.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

COMPONENTS = ('bpo_attainment', 'kpo_quality', 'kpo_on_time', 'kpo_first_pass')


def upgrade():
    op.create_table(
        'vendor_score_state',
        sa.Column('vendor_id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('vendor_id'),
    )
    components = []
    for name in COMPONENTS:
        components.append(sa.Column(f'{name}_value', sa.Float(), nullable=True))
        components.append(sa.Column(f'{name}_sample', sa.Integer(), nullable=False))
    op.create_table(
        'vendor_period_scores',
        sa.Column('vendor_id', sa.Integer(), nullable=False),
        sa.Column('period_key', sa.String(length=10), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('settings_key', sa.String(length=120), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('band', sa.String(length=12), nullable=False),
        *components,
        sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('vendor_id', 'period_key'),
    )
    op.create_index(
        'ix_vendor_period_scores_period_score', 'vendor_period_scores', ['period_key', 'score']
    )


def downgrade():
    op.drop_index('ix_vendor_period_scores_period_score', table_name='vendor_period_scores')
    op.drop_table('vendor_period_scores')
    op.drop_table('vendor_score_state')
