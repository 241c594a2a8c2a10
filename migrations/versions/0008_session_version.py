"""users.session_version: ending an account's sessions (logout, password, role or active change)

Revision ID: 0008_session_version
Revises: 0007_mail_suppression
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_session_version'
down_revision = '0007_mail_suppression'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start at 0; sessions signed before this revision carry no version and end once.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
