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
    op.create_table('rate_limit_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=50), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_attempts'))
    )
    with op.batch_alter_table('rate_limit_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_rate_limit_attempts_lookup', ['scope', 'key', 'attempted_at'], unique=False)

    op.create_table('registration_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('short_text', 'long_text', 'single_choice', 'multiple_choice', 'yes_no', 'consent', name='question_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=False),
    sa.Column('help_text', sa.String(length=1000), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(event_id IS NULL) <> (series_id IS NULL)', name=op.f('ck_registration_questions_event_or_series')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_registration_questions_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_registration_questions_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_questions'))
    )
    with op.batch_alter_table('registration_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_questions_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_questions_series_id'), ['series_id'], unique=False)

    op.create_table('invitation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('case_description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'declined', name='request_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_invitation_requests_email_is_lower_case')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_invitation_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_invitation_requests_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_requests'))
    )
    with op.batch_alter_table('invitation_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_requests_event_id'), ['event_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'registered', 'declined', 'revoked', 'expired', name='invitation_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('send_count', sa.Integer(), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'expired'", name=op.f('ck_invitations_expired_is_computed')),
    sa.CheckConstraint('send_count >= 1', name=op.f('ck_invitations_send_count_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_invitations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_invitations_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('event_id', 'person_id', name=op.f('uq_invitations_event_id_person_id'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_person_id'), ['person_id'], unique=False)

    op.create_table('invitation_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_invitation_tokens_invitation_id_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_tokens_token_hash'))
    )
    with op.batch_alter_table('invitation_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_tokens_invitation_id'), ['invitation_id'], unique=False)

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('waitlist_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('manage_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('answers', sa.JSON(), server_default='{}', nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_event_id_waitlist_position'), ['event_id', 'waitlist_position'])
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_manage_token_hash'), ['manage_token_hash'])
        batch_op.create_check_constraint(
            'waitlist_position_iff_waitlisted', "(status = 'waitlisted') = (waitlist_position IS NOT NULL)"
        )
        batch_op.create_check_constraint('waitlist_position_positive', 'waitlist_position IS NULL OR waitlist_position > 0')



def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_registrations_waitlist_position_positive'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_registrations_waitlist_position_iff_waitlisted'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_registrations_manage_token_hash'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_registrations_event_id_waitlist_position'), type_='unique')
        batch_op.drop_column('answers')
        batch_op.drop_column('manage_token_hash')
        batch_op.drop_column('waitlist_position')
        batch_op.drop_column('confirmed_at')

    with op.batch_alter_table('invitation_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_tokens_invitation_id'))

    op.drop_table('invitation_tokens')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_person_id'))

    op.drop_table('invitations')
    with op.batch_alter_table('invitation_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_requests_event_id'))

    op.drop_table('invitation_requests')
    with op.batch_alter_table('registration_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_questions_series_id'))
        batch_op.drop_index(batch_op.f('ix_registration_questions_event_id'))

    op.drop_table('registration_questions')
    with op.batch_alter_table('rate_limit_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_rate_limit_attempts_lookup')

    op.drop_table('rate_limit_attempts')
