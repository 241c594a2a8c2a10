"""the do-not-send list: addresses refused for good or bounced

Revision ID: mail10_suppression
Revises: 0005_feed_tokens
Create Date: 2026-12-02 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mail10_suppression'
down_revision = '0005_feed_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('suppressed_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('reason', sa.Enum('rejected', 'bounced', name='suppression_reason', native_enum=False,
                                create_constraint=True, length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_suppressed_addresses_suppressed_email_is_lower_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppressed_addresses')),
    sa.UniqueConstraint('email', name=op.f('uq_suppressed_addresses_email'))
    )


def downgrade():
    op.drop_table('suppressed_addresses')
