"""people.language may be NULL: nobody gave one, so the person reads the event's language (then the series', then
the site's default) instead of English; an "en" already stored is kept, since a given "en" cannot be told apart

Revision ID: 0022_person_language_null
Revises: 0021_outbox_indexes
Create Date: 2026-12-06 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_person_language_null'
down_revision = '0021_outbox_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8), nullable=True)


def downgrade():
    # Before this revision a person without a language was stored as English.
    op.execute("UPDATE people SET language = 'en' WHERE language IS NULL")
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8), nullable=False)
