"""metric counters (sender results by outcome) and job runs (the planner's last tick) for /metrics and /healthz

Revision ID: 0006_metrics
Revises: 0005_feed_tokens
Create Date: 2026-12-02 00:14:50.532390

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_metrics'
down_revision = '0005_feed_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('succeeded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_runs'))
    )
    op.create_table('metric_counters',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_metric_counters_value_not_negative')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_metric_counters'))
    )


def downgrade():
    op.drop_table('metric_counters')
    op.drop_table('job_runs')
