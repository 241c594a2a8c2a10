"""privacy_links: the personal links of /privacy (export and erase what eventhub holds about an address), stored hashed

Revision ID: 0017_privacy_links
Revises: 0016_consent_records
Create Date: 2026-12-06 02:43:08.426548

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_privacy_links'
down_revision = '0016_consent_records'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_privacy_links_email_is_lower_case')),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_privacy_links_expires_after_creation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_privacy_links_token_hash'))
    )
    with op.batch_alter_table('privacy_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_links_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_links_expires_at'), ['expires_at'], unique=False)



def downgrade():
    with op.batch_alter_table('privacy_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_links_expires_at'))
        batch_op.drop_index(batch_op.f('ix_privacy_links_email'))

    op.drop_table('privacy_links')
