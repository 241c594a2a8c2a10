"""personal calendar feed tokens

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
    pass


def downgrade():
    pass
