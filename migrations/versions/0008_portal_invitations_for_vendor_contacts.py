"""portal invitations for vendor contacts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('portal_invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_portal_invites_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_portal_invites_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_portal_invites_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_invites')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_portal_invites_token_digest'))
    )
    with op.batch_alter_table('portal_invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_invites_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_invites_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_invites_vendor_id'), ['vendor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('portal_invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_invites_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_portal_invites_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_portal_invites_contact_id'))

    op.drop_table('portal_invites')
