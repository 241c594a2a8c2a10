"""consent_records: each consent box ticked, with the question's text, version and language as shown, when it
was given and when withdrawn

Revision ID: 0016_consent_records
Revises: 0015_question_translations
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_consent_records'
down_revision = '0015_question_translations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('question_version', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=False),
    sa.Column('help_text', sa.String(length=1000), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('question_version > 0', name=op.f('ck_consent_records_question_version_positive')),
    sa.CheckConstraint('withdrawn_at IS NULL OR withdrawn_at >= given_at', name=op.f('ck_consent_records_withdrawn_after_given')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_consent_records_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['registration_questions.id'], name=op.f('fk_consent_records_question_id_registration_questions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_consent_records_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        for column in ('person_id', 'question_id', 'registration_id'):
            batch_op.create_index(batch_op.f(f'ix_consent_records_{column}'), [column], unique=False)


def downgrade():
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        for column in ('person_id', 'question_id', 'registration_id'):
            batch_op.drop_index(batch_op.f(f'ix_consent_records_{column}'))
    op.drop_table('consent_records')
