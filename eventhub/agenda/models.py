"""An event's agenda: timed items in the event's time zone, and the agenda's publication state."""

from __future__ import annotations

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import TimestampMixin, enum_column
from eventhub.events.models import Event, Person
from eventhub.extensions import db


class AgendaItemKind(enum.StrEnum):
    WELCOME = "welcome"
    ROUND_TABLE = "round_table"
    PRESENTATION = "presentation"
    DISCUSSION = "discussion"
    BREAK = "break"
    WRAP_UP = "wrap_up"
    OTHER = "other"


class Agenda(TimestampMixin, db.Model):
    """One per event: whether items may overlap, whether it is published, and which change was last announced.

    ``version`` counts changes made after publication; the planner emails registrants once the agenda has been
    quiet since ``changed_at`` for a while and ``version`` is past ``notified_version``, so a burst of edits
    makes one email, not one per save.
    """

    __tablename__ = "agendas"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    # Conferences may run parallel tracks; meetings may not have overlapping items.
    allows_parallel: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    published_at: Mapped[datetime | None] = mapped_column()
    changed_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    notified_version: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="agenda", order_by="(AgendaItem.starts_at, AgendaItem.position)", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("version >= 0", name="version_not_negative"),
        sa.CheckConstraint("notified_version <= version", name="notified_not_ahead"),
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AgendaItem(TimestampMixin, db.Model):
    """A timed item. Times are UTC instants; the day an item belongs to is its local date in the event's zone."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(sa.ForeignKey("agendas.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[AgendaItemKind] = mapped_column(
        enum_column(AgendaItemKind, "agenda_item_kind"), default=AgendaItemKind.OTHER
    )
    # An owner is a known person, or free text ("Per Bach and Anne Rahbek"), or nobody.
    owner_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"), index=True)
    owner_text: Mapped[str | None] = mapped_column(sa.String(300))

    agenda: Mapped[Agenda] = relationship(back_populates="items")
    owner_person: Mapped[Person | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("agenda_id", "position"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("position >= 0", name="position_not_negative"),
    )

    @property
    def owner_label(self) -> str:
        """What the agenda shows as the owner: ``name, organisation`` of a person, or the free text."""
        if self.owner_person is not None:
            return self.owner_person.display_name
        return self.owner_text or ""

    def local_day(self, zone: str) -> date:
        return self.starts_at.astimezone(ZoneInfo(zone)).date()
