"""registration_questions.translations: a question's label, help text and options in other languages

Revision ID: 0015_question_translations
Revises: 0014_audit_log
Create Date: 2026-12-10 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_question_translations"
down_revision = '0014_audit_log'
branch_labels = None
depends_on = None


def upgrade():
    # Existing questions have no translations: every reader sees them as written.
    with op.batch_alter_table("registration_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), server_default="{}", nullable=False))


def downgrade():
    with op.batch_alter_table("registration_questions", schema=None) as batch_op:
        batch_op.drop_column("translations")
