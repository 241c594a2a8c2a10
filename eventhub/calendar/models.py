"""The secret link of a person's calendar feed, and what each feed looked like when it last changed.

A feed URL is polled by calendar programs that cannot log in, so the link itself is the credential: only its
SHA-256 is stored (as for API tokens), and rotating it makes the old URL answer 404 at once.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import utcnow
from eventhub.events.models import Person
from eventhub.extensions import db


class FeedToken(db.Model):
    """One personal feed link per person; ``rotated_at`` is when the current link replaced an older one."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column()

    person: Mapped[Person] = relationship()


class FeedVersion(db.Model):
    """A feed's change counter and, once built, its body (plain and gzip), strong ETag and ``Last-Modified``.

    ``version`` is raised in the transaction of every change that affects the feed (``calendar.invalidation``);
    the stored body is current while ``built_version`` equals it and ``expires_at`` (when a cancelled event it
    shows will have ended and drop out) has not come. So a poll is answered from this one row, found by its
    unique key, whatever the number of events: a 304, or the stored bytes without rebuilding or recompressing.
    ``changed_at`` (the Last-Modified) moves only when the body's hash (the ETag) changes.
    """

    __tablename__ = "feed_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "event:<id>", "series:<id>", "person:<id>"
    feed_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    built_version: Mapped[int | None] = mapped_column()
    etag: Mapped[str | None] = mapped_column(sa.String(64))
    changed_at: Mapped[datetime | None] = mapped_column()
    expires_at: Mapped[datetime | None] = mapped_column()
    body: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    body_gzip: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)


class CalendarComponent(db.Model):
    """The rendered text of one event's VEVENT (or one action item's or deadline's components) in one language.

    A table of its own rather than a column of the events: the text differs per language (``reader_language``:
    a personal feed is in its person's language, a series feed in the series'), and action items and deadlines
    have components too. ``version`` names the inputs the text was rendered from (``calendar.components``): a
    row whose version differs from its source's current one is never used, only re-rendered, so no write path
    has to remember to delete anything.
    """

    __tablename__ = "calendar_components"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # "event", "action-item", "deadline"
    item_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(sa.String(8))
    version: Mapped[str] = mapped_column(sa.String(120))
    text: Mapped[str] = mapped_column(sa.Text)

    __table_args__ = (sa.UniqueConstraint("kind", "item_id", "language"),)
