"""series.language and events.language: the language an email is written in when its reader's is unknown

Revision ID: 0010_languages
Revises: 0008_session_version
Create Date: 2026-12-05 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_languages'
down_revision = '0008_session_version'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: NULL means "as the series" (events) and "the site's default" (series), so existing rows keep
    # behaving as they did.
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_column('language')
