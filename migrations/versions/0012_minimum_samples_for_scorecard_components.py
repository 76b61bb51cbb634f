"""minimum samples a scorecard component rates from

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reporting_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_bpo_months', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('min_kpo_deliverables', sa.Integer(), server_default='2', nullable=False))


def downgrade():
    with op.batch_alter_table('reporting_settings', schema=None) as batch_op:
        batch_op.drop_column('min_kpo_deliverables')
        batch_op.drop_column('min_bpo_months')
