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
    """The validator a feed had when last served, and when it first had it: that instant is the feed's
    ``Last-Modified``.

    Why a row and not ``max(updated_at)``: a feed also changes when rows disappear (a membership deleted, an
    event moved out of a series, a cancelled event dropping out once past), and a deleted row leaves no timestamp.
    The row is written only when the validator changes, so polling an unchanged feed never writes.
    """

    __tablename__ = "feed_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "event:<id>", "series:<id>", "person:<id>"
    feed_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    etag: Mapped[str] = mapped_column(sa.String(64))
    changed_at: Mapped[datetime]
