"""personal calendar feed tokens and feed versions (Last-Modified)

Revision ID: 0005_feed_tokens
Revises: 0004_invitations
Create Date: 2026-11-23 11:31:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_feed_tokens'
down_revision = '0004_invitations'
branch_labels = None
depends_on = None



def upgrade():
    op.create_table('feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rotated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_feed_tokens_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('person_id', name=op.f('uq_feed_tokens_person_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )
    op.create_table('feed_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feed_key', sa.String(length=80), nullable=False),
    sa.Column('etag', sa.String(length=64), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_versions')),
    sa.UniqueConstraint('feed_key', name=op.f('uq_feed_versions_feed_key'))
    )


def downgrade():
    op.drop_table('feed_versions')
    op.drop_table('feed_tokens')
