"""the do-not-send list (addresses refused for good or bounced) and unsubscriptions from series mail

Revision ID: 0007_mail_suppression
Revises: 0006_metrics
Create Date: 2026-12-02 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_mail_suppression'
down_revision = '0006_metrics'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('suppressed_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('reason', sa.Enum('rejected', 'bounced', name='suppression_reason', native_enum=False,
                                create_constraint=True, length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_suppressed_addresses_suppressed_email_is_lower_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppressed_addresses')),
    sa.UniqueConstraint('email', name=op.f('uq_suppressed_addresses_email'))
    )
    op.create_table('list_unsubscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_list_unsubscriptions_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_list_unsubscriptions_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_unsubscriptions')),
    sa.UniqueConstraint('person_id', 'series_id', name=op.f('uq_list_unsubscriptions_person_id_series_id'))
    )
    with op.batch_alter_table('list_unsubscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_unsubscriptions_series_id'), ['series_id'], unique=False)


def downgrade():
    with op.batch_alter_table('list_unsubscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_list_unsubscriptions_series_id'))
    op.drop_table('list_unsubscriptions')
    op.drop_table('suppressed_addresses')
