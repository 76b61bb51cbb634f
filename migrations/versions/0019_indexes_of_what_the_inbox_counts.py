"""indexes of what the inbox counts: open deliverables, pending credits, breaches, actions

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 01:30:00.000000

The inbox counts overdue deliverables over the KPO months with deliverables still open and looks
for credits pending earn-back in the BPO months that had one: both a small part of the history,
now read from an index of those rows alone; last month's breaches and the open action items
past due are counted from an index without reading the table.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

OPEN_ROWS = 'due_not_submitted + due_in_review + due_changes_requested > 0'
PENDING_ROWS = 'pending_until IS NOT NULL'


def upgrade():
    op.create_index(
        'ix_kpo_monthly_rollups_open',
        'kpo_monthly_rollups',
        ['month', 'due_not_submitted', 'due_in_review', 'due_changes_requested'],
        sqlite_where=sa.text(OPEN_ROWS),
        postgresql_where=sa.text(OPEN_ROWS),
    )
    op.create_index(
        'ix_bpo_monthly_rollups_pending',
        'bpo_monthly_rollups',
        ['month', 'engagement_id', 'pending_until'],
        sqlite_where=sa.text(PENDING_ROWS),
        postgresql_where=sa.text(PENDING_ROWS),
    )

    op.create_index(
        'ix_bpo_monthly_rollups_breaches',
        'bpo_monthly_rollups',
        ['month', 'engagement_id', 'breaches'],
    )
    op.create_index('ix_kpo_action_items_done_due', 'kpo_action_items', ['done', 'due_on'])


def downgrade():
    op.drop_index('ix_kpo_action_items_done_due', table_name='kpo_action_items')
    op.drop_index('ix_bpo_monthly_rollups_breaches', table_name='bpo_monthly_rollups')
    op.drop_index('ix_bpo_monthly_rollups_pending', table_name='bpo_monthly_rollups')
    op.drop_index('ix_kpo_monthly_rollups_open', table_name='kpo_monthly_rollups')
