"""Attendance, minutes (a Markdown draft with structured parts), their published versions and comments.

Action items and deadlines are rows with plain dates (``due_on``) and an owner person, so reminders and
personal calendar feeds can query them directly. Decisions and materials are short ordered lists that nothing
queries, kept as JSON on the minutes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import TimestampMixin
from eventhub.events.models import Event, Person
from eventhub.extensions import db


class Attendance(TimestampMixin, db.Model):
    """A person was at the meeting. ``walk_in`` marks someone who came without registering or being a member."""

    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    walk_in: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    person: Mapped[Person] = relationship()

    __table_args__ = (sa.UniqueConstraint("event_id", "person_id"),)


class Minutes(TimestampMixin, db.Model):
    """The working copy of one meeting's minutes. Published versions are frozen in ``MinutesVersion``."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # [{title, description, link}]
    materials: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    next_meeting_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    next_meeting_text: Mapped[str | None] = mapped_column(sa.String(300))
    circulated_at: Mapped[datetime | None] = mapped_column()
    # The number of the newest published version; 0 while only a draft exists.
    published_version: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship(foreign_keys=[event_id])
    next_meeting_event: Mapped[Event | None] = relationship(foreign_keys=[next_meeting_event_id])
    round_table: Mapped[list[RoundTableEntry]] = relationship(
        order_by="RoundTableEntry.position", cascade="all, delete-orphan", back_populates="minutes"
    )
    action_items: Mapped[list[ActionItem]] = relationship(
        order_by="ActionItem.position", cascade="all, delete-orphan", back_populates="minutes"
    )
    deadlines: Mapped[list[Deadline]] = relationship(
        order_by="Deadline.position", cascade="all, delete-orphan", back_populates="minutes"
    )
    versions: Mapped[list[MinutesVersion]] = relationship(
        order_by="MinutesVersion.number", cascade="all, delete-orphan", back_populates="minutes"
    )

    __table_args__ = (sa.CheckConstraint("published_version >= 0", name="published_version_not_negative"),)

    def can_draft_from_agenda(self) -> bool:
        """Drafting from the agenda starts an empty body; it never overwrites text."""
        return not (self.body or "").strip()


class RoundTableEntry(db.Model):
    """What one participant told the round table."""

    __tablename__ = "round_table_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")

    minutes: Mapped[Minutes] = relationship(back_populates="round_table")
    person: Mapped[Person] = relationship()

    __table_args__ = (sa.UniqueConstraint("minutes_id", "position"),)


class ActionItem(db.Model):
    """Something someone agreed to do, by a date. The owner is reminded before ``due_on``."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    what: Mapped[str] = mapped_column(sa.String(1000))
    owner_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"), index=True)
    owner_text: Mapped[str | None] = mapped_column(sa.String(300))
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)

    minutes: Mapped[Minutes] = relationship(back_populates="action_items")
    owner_person: Mapped[Person | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("minutes_id", "position"),)

    @property
    def owner_label(self) -> str:
        return self.owner_person.display_name if self.owner_person is not None else (self.owner_text or "")


class Deadline(db.Model):
    """A date the meeting wants people to remember, e.g. an EU call closing."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(500))
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    link: Mapped[str | None] = mapped_column(sa.String(2000))

    minutes: Mapped[Minutes] = relationship(back_populates="deadlines")

    __table_args__ = (sa.UniqueConstraint("minutes_id", "position"),)


class MinutesVersion(db.Model):
    """A published, frozen version: the Markdown and a JSON snapshot of everything the page shows."""

    __tablename__ = "minutes_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(sa.Text)
    parts: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    published_at: Mapped[datetime]
    published_by_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    change_note: Mapped[str] = mapped_column(sa.String(1000), default="")

    minutes: Mapped[Minutes] = relationship(back_populates="versions")
    published_by: Mapped[Person | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("minutes_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
    )


class MinutesComment(TimestampMixin, db.Model):
    """An attendee's comment on a circulated draft, for the secretary to read."""

    __tablename__ = "minutes_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)

    person: Mapped[Person] = relationship()
