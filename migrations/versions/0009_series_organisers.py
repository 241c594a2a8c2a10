"""Organisers per series: the membership role 'organiser', and events.created_by_id (who manages an event
without a series)

Revision ID: 0009_series_organisers
Revises: 0012_list_indexes
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_series_organisers'
down_revision = '0012_list_indexes'
branch_labels = None
depends_on = None

ROLES_BEFORE = ('member', 'secretary')
ROLES_AFTER = ('member', 'secretary', 'organiser')


def _role_check(batch_op, roles):
    values = ", ".join(f"'{role}'" for role in roles)
    batch_op.create_check_constraint('membership_role', f"role IN ({values})")


def upgrade():
    # An enum is VARCHAR + a named CHECK (eventhub.db.enum_column): a new value replaces the CHECK.
    with op.batch_alter_table('series_memberships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_series_memberships_membership_role'), type_='check')
        _role_check(batch_op, ROLES_AFTER)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_events_created_by_id_users'), 'users', ['created_by_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_created_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_created_by_id'))
        batch_op.drop_column('created_by_id')

    # Organiser memberships have no place in the older schema: they become plain memberships.
    op.execute("UPDATE series_memberships SET role = 'member' WHERE role = 'organiser'")
    with op.batch_alter_table('series_memberships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_series_memberships_membership_role'), type_='check')
        _role_check(batch_op, ROLES_BEFORE)
