"""agenda items, attendance, minutes and their versions

Revision ID: 0003_agenda_minutes
Revises: 0002_outbox_registrations
Create Date: 2026-11-23 11:31:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_agenda_minutes'
down_revision = '0002_outbox_registrations'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
