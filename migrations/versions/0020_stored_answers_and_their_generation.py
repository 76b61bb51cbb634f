"""stored answers of whole-portfolio reports, and the generation that makes them stale

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 05:00:00.000000

Both tables start empty: the first reader of the portfolio and spend page or the BPO portfolio
computes its answer and stores it (`core.stored_answers`); the first write that changes their
inputs creates the generation row.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_answers',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('params', sa.Text(), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_answers')),
    )
    op.create_table(
        'stored_answer_state',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_answer_state')),
    )


def downgrade():
    op.drop_table('stored_answer_state')
    op.drop_table('stored_answers')
