"""invitations, questions, answers, waiting list, invitation requests

Revision ID: 0004_invitations
Revises: 0003_agenda_minutes
Create Date: 2026-11-23 11:31:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_invitations'
down_revision = '0003_agenda_minutes'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
