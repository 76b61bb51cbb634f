"""monthly exchange rates for a reporting currency

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exchange_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rate', sa.Numeric(precision=18, scale=8), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('rate > 0', name=op.f('ck_exchange_rates_rate_above_zero')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_exchange_rates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_exchange_rates_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_rates')),
    sa.UniqueConstraint('month', 'currency', name=op.f('uq_exchange_rates_month_currency'))
    )
    with op.batch_alter_table('exchange_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_rates_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_rates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_rates_updated_by_id'), ['updated_by_id'], unique=False)

    with op.batch_alter_table('reporting_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reporting_currency', sa.String(length=3), server_default='USD', nullable=False))


def downgrade():
    with op.batch_alter_table('reporting_settings', schema=None) as batch_op:
        batch_op.drop_column('reporting_currency')

    with op.batch_alter_table('exchange_rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_rates_updated_by_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_rates_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_rates_month'))

    op.drop_table('exchange_rates')
