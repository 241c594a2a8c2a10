"""audit_entries (who changed or exported what, when, which fields; append-only); people.anonymised_at (stand-ins); retention
settings on series and events; per question "delete answers after the event" and a version (consent)

Revision ID: 0014_audit_log
Revises: 0009_series_organisers
Create Date: 2026-12-06 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_audit_log'
down_revision = '0009_series_organisers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=300), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_audit_entries_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_audit_entries_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_audit_entries_series_id_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        for column in ('action', 'actor_id', 'at', 'event_id', 'person_id', 'series_id'):
            batch_op.create_index(batch_op.f(f'ix_audit_entries_{column}'), [column], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retention_keeps_organisations', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('registration_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delete_answers_after_event', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('registration_questions', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('delete_answers_after_event')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('retention_days')
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_column('retention_keeps_organisations')
        batch_op.drop_column('retention_days')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        for column in ('action', 'actor_id', 'at', 'event_id', 'person_id', 'series_id'):
            batch_op.drop_index(batch_op.f(f'ix_audit_entries_{column}'))
    op.drop_table('audit_entries')
