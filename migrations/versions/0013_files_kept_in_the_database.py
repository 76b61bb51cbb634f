"""files kept in the database and attached to versions, certificates and QBRs

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('file_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_file_blobs'))
    )
    op.create_table('file_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_kind', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('detected_type', sa.String(length=127), nullable=False),
    sa.Column('media_type', sa.String(length=127), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['file_blobs.sha256'], name=op.f('fk_file_attachments_sha256_file_blobs')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_file_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_attachments'))
    )
    with op.batch_alter_table('file_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_file_attachments_owner', ['owner_kind', 'owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_attachments_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_attachments_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('file_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_attachments_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_file_attachments_sha256'))
        batch_op.drop_index('ix_file_attachments_owner')

    op.drop_table('file_attachments')
    op.drop_table('file_blobs')
