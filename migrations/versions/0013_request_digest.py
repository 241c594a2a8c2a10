"""invitation_requests.notified_at (the organisers' digest); registrations.status_changed_by_id (organiser actions)

Revision ID: 0013_request_digest
Revises: 0011_sign_in_links
Create Date: 2026-12-05 23:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_request_digest"
down_revision = '0011_sign_in_links'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))
    # Decided requests need nobody's attention: only the pending ones go into the first digest.
    op.execute("UPDATE invitation_requests SET notified_at = decided_at WHERE status <> 'pending'")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_changed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_registrations_status_changed_by_id_users"),
            "users",
            ["status_changed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_registrations_status_changed_by_id_users"), type_="foreignkey")
        batch_op.drop_column("status_changed_by_id")
    with op.batch_alter_table("invitation_requests", schema=None) as batch_op:
        batch_op.drop_column("notified_at")
