"""outbox_messages: a cheaper search index and faster compression of the bodies, so that 10,000 reminders due at
once are queued in one tick

Measured (bench/planner.py, 10,000 reminders of ~2.4 KB queued in one INSERT ... SELECT, PostgreSQL 15, CPU time
of the server's backend): 1.0 s with the GIN trigram index of the outbox search, 0.5 s without it, 0.75 s with the
same index as GiST. GIN stores every trigram of every row (a reminder's subject alone has ~100); GiST stores one
signature per row. The search still reads an index (GiST answers "contains" a little slower than GIN, in
milliseconds for tens of thousands of messages). The other indexes stay: dropping the unique index of message_id
and the index of kind saved less than 0.05 s, and the retention's redaction of digests finds them by kind alone.
The bodies (~2.4 KB of HTML, ~1 KB of text) are compressed by PostgreSQL as they are stored: lz4 instead of the
default pglz took 0.1 s less, where the server has lz4 (PostgreSQL 14 or later built with it, as Debian's is).

Revision ID: 0021_outbox_indexes
Revises: 0018_answers_deleted_at
Create Date: 2026-12-06 05:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021_outbox_indexes'
down_revision = '0020_feed_components'
branch_labels = None
depends_on = None

COLUMNS = ('recipient_email', 'recipient_name', 'subject')


BODIES = ('body_text', 'body_html')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':  # on SQLite the search index is a plain one (0012_list_indexes)
        _search_index('gist', 'gist_trgm_ops')
        _compress_bodies('lz4')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        _search_index('gin', 'gin_trgm_ops')
        _compress_bodies('pglz')


def _compress_bodies(method):
    """Compress new bodies with ``method`` where the server offers it (bodies stored before keep theirs)."""
    offered = op.get_bind().exec_driver_sql(
        "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
    ).scalar()
    if offered and method in offered:
        columns = ', '.join(f'ALTER COLUMN {column} SET COMPRESSION {method}' for column in BODIES)
        op.execute(f'ALTER TABLE outbox_messages {columns}')


def _search_index(method, operators):
    """Rebuild the trigram index of the outbox search (0012_list_indexes) with ``method``."""
    op.drop_index('ix_outbox_messages_search', table_name='outbox_messages')
    expressions = ', '.join(f'lower({column}) {operators}' for column in COLUMNS)
    op.execute(f'CREATE INDEX ix_outbox_messages_search ON outbox_messages USING {method} ({expressions})')
