"""monthly rollups of KPO figures per engagement

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 20:40:00.000000

The table is filled for the deliverables already stored, from the app's pure rules
(`rollup_rules.month_figures`), so the reports read complete figures from the first request.
"""
from collections import defaultdict
from datetime import date
from decimal import Decimal

from alembic import op
import sqlalchemy as sa

from vendor_tracker.engagements.kpo import review, rollup_rules


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

def _columns():
    columns = [
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
    ]
    for name in rollup_rules.FIELDS:
        if name.endswith(('quality_hundredths', 'quality_residue')):
            columns.append(sa.Column(name, sa.BigInteger(), nullable=False))
        elif name.endswith('histogram'):
            columns.append(sa.Column(name, sa.String(length=200), nullable=False))
        else:
            columns.append(sa.Column(name, sa.Integer(), nullable=False))
    return columns


def upgrade():
    op.create_table('kpo_monthly_rollups',
    *_columns(),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_kpo_monthly_rollups_engagement_id_engagements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('engagement_id', 'month', name=op.f('pk_kpo_monthly_rollups'))
    )
    with op.batch_alter_table('kpo_monthly_rollups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpo_monthly_rollups_month'), ['month'], unique=False)
    with op.batch_alter_table('kpo_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpo_reviews_reviewed_on'), ['reviewed_on'], unique=False)
    _fill()


def _fill():
    """One row per engagement and month with figures, from the stored deliverables."""
    connection = op.get_bind()
    deliverables = connection.execute(sa.text(
        'SELECT id, engagement_id, due_on FROM kpo_deliverables'
    )).all()
    rounds = defaultdict(list)
    for d_id, version, submitted, hours, reviewed, decision, quality in connection.execute(sa.text(
        'SELECT s.deliverable_id, s.version, s.submitted_on, s.effort_hours, r.reviewed_on,'
        ' r.decision, r.quality_score FROM kpo_submissions s'
        ' LEFT JOIN kpo_reviews r ON r.submission_id = s.id'
    )):
        rounds[d_id].append(review.Round(
            version=version,
            submitted_on=_day(submitted),
            effort_hours=Decimal(str(hours)) if hours is not None else None,
            reviewed_on=_day(reviewed),
            decision=review.Decision(decision) if decision else None,
            quality=float(quality) if quality is not None else None,
        ))
    per_engagement = defaultdict(list)
    for d_id, engagement_id, due_on in deliverables:
        per_engagement[engagement_id].append((_day(due_on), rounds.get(d_id, [])))
    table = sa.table('kpo_monthly_rollups', *(sa.column(c.name) for c in _columns()))
    rows = []
    for engagement_id, items in sorted(per_engagement.items()):
        for month, figures in rollup_rules.month_figures(items).items():
            row = {'engagement_id': engagement_id, 'month': month}
            row.update({name: getattr(figures, name) for name in rollup_rules.FIELDS})
            rows.append(row)
    for start in range(0, len(rows), 1000):
        connection.execute(sa.insert(table), rows[start:start + 1000])


def _day(value):
    """A date from what the driver returns (SQLite: text through a bare SELECT)."""
    if value is None or hasattr(value, 'year'):
        return value
    return date.fromisoformat(str(value)[:10])


def downgrade():
    with op.batch_alter_table('kpo_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpo_reviews_reviewed_on'))
    with op.batch_alter_table('kpo_monthly_rollups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpo_monthly_rollups_month'))
    op.drop_table('kpo_monthly_rollups')
