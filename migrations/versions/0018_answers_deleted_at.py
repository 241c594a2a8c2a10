"""events.answers_deleted_at: when the answers to questions marked "delete answers after the event" were deleted

Revision ID: 0018_answers_deleted_at
Revises: 0017_privacy_links
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_answers_deleted_at'
down_revision = '0017_privacy_links'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers_deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('answers_deleted_at')
