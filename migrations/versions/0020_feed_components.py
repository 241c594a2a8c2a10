"""Pre-rendered calendar components, feed change counters and stored feed bodies (issue 14)

calendar_components: each event's (and action item's, deadline's) rendered text per language, with the version
of its inputs; events.calendar_version: raised when something outside the event's row changes its text;
feed_versions: a change counter (version), the version the stored body was built at, when it goes out of date on
its own, and the body plain and gzip. Existing feed rows keep no body, so each feed is rebuilt on its next poll.

Revision ID: 0020_feed_components
Revises: 0018_answers_deleted_at
Create Date: 2026-12-06 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_feed_components'
down_revision = '0019_materials'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('version', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_components')),
    sa.UniqueConstraint('kind', 'item_id', 'language', name=op.f('uq_calendar_components_kind_item_id_language'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('feed_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('built_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('body', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('body_gzip', sa.LargeBinary(), nullable=True))
        batch_op.alter_column('etag', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('changed_at', existing_type=sa.DateTime(timezone=True), nullable=True)
    if op.get_bind().dialect.name == 'postgresql':
        # Stored bodies are written whole and read whole: no TOAST compression (the gzip one is compressed
        # already, the plain one is served to clients that did not ask for compression); halves the write.
        op.execute("ALTER TABLE feed_versions ALTER COLUMN body SET STORAGE EXTERNAL, "
                   "ALTER COLUMN body_gzip SET STORAGE EXTERNAL")


def downgrade():
    op.execute("DELETE FROM feed_versions WHERE etag IS NULL OR changed_at IS NULL")
    with op.batch_alter_table('feed_versions', schema=None) as batch_op:
        batch_op.alter_column('changed_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('etag', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('body_gzip')
        batch_op.drop_column('body')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('built_version')
        batch_op.drop_column('version')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('calendar_version')
    op.drop_table('calendar_components')
