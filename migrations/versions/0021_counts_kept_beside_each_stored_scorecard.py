"""the counts each stored vendor scorecard was worked out from, so portfolio figures are sums

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 09:00:00.000000

A stored scorecard now keeps its met and reported BPO level-months and its KPO counts, which
add up over vendors: the portfolio trend sums them instead of reading every monthly rollup.
The rows stored before have no counts, so they are dropped: the stored scorecards are kept
for speed only, and the next reader of each period scores every vendor again (as on a new day).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

COUNTS = (
    "bpo_met",
    "bpo_reported",
    "kpo_accepted",
    "kpo_first_pass",
    "kpo_rounds",
    "kpo_due",
    "kpo_decided",
    "kpo_on_time",
    "kpo_quality_count",
)
BIG_COUNTS = ("kpo_quality_hundredths", "kpo_quality_residue")


def upgrade():
    op.execute("DELETE FROM vendor_period_scores")
    # Added with a default for the table's existing shape, which is then dropped: the app
    # always writes them.
    with op.batch_alter_table("vendor_period_scores", schema=None) as batch_op:
        for name in COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        for name in BIG_COUNTS:
            batch_op.add_column(
                sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
            )
    with op.batch_alter_table("vendor_period_scores", schema=None) as batch_op:
        for name in (*COUNTS, *BIG_COUNTS):
            batch_op.alter_column(name, server_default=None)


def downgrade():
    with op.batch_alter_table("vendor_period_scores", schema=None) as batch_op:
        for name in reversed((*COUNTS, *BIG_COUNTS)):
            batch_op.drop_column(name)
