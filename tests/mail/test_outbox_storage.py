"""How PostgreSQL stores the outbox (migration 0021_outbox_indexes): a GiST trigram index for the search, cheap
to keep up when 10,000 reminders arrive at once, and lz4 for the bodies where the server offers it."""

import pytest
import sqlalchemy as sa

from eventhub.extensions import db

# Index methods and column compression are PostgreSQL's: only its run is collected (it skips, with the reason,
# where no PostgreSQL is configured).
pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def test_the_search_index_is_gist(app):
    method = db.session.scalar(
        sa.text(
            "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
            "WHERE c.relname = 'ix_outbox_messages_search'"
        )
    )
    assert method == "gist"


def test_bodies_are_compressed_with_lz4_where_offered(app):
    offered = db.session.scalar(sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"))
    if not offered or "lz4" not in offered:
        pytest.skip("this PostgreSQL has no lz4")
    methods = db.session.scalars(
        sa.text(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = 'outbox_messages'::regclass "
            "AND attname IN ('body_text', 'body_html')"
        )
    )
    assert list(methods) == ["l", "l"]
