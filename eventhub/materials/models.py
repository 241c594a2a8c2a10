"""An event's materials, and the stored bytes of uploaded files when the database is the storage.

A material is a file (its bytes kept by ``eventhub.materials.storage`` under the SHA-256 of its content) or a
link. It belongs to an event and optionally to one agenda item; an item deleted from the agenda leaves its
materials on the event (``SET NULL``), so nothing uploaded disappears with an agenda edit.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.agenda.models import AgendaItem
from eventhub.db import TimestampMixin, enum_column, utcnow
from eventhub.events.models import Event
from eventhub.extensions import db

MAX_TITLE = 300
MAX_FILE_NAME = 150
MAX_URL = 2000


class MaterialKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"


class Material(TimestampMixin, db.Model):
    """A file or a link with a title and an optional date (a report's publication day, a webinar's date)."""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[MaterialKind] = mapped_column(enum_column(MaterialKind, "material_kind"))
    title: Mapped[str] = mapped_column(sa.String(MAX_TITLE))
    dated_on: Mapped[date | None] = mapped_column()
    # Files: the storage key (SHA-256 of the bytes, hex), the sanitised name, the sniffed type and the size.
    file_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    file_name: Mapped[str | None] = mapped_column(sa.String(MAX_FILE_NAME))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    # Links: an http(s) address.
    url: Mapped[str | None] = mapped_column(sa.String(MAX_URL))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'file' AND file_key IS NOT NULL AND file_name IS NOT NULL AND content_type IS NOT NULL"
            " AND size IS NOT NULL AND url IS NULL)"
            " OR (kind = 'link' AND url IS NOT NULL AND file_key IS NULL)",
            name="file_or_link",
        ),
        sa.CheckConstraint("size IS NULL OR size >= 0", name="size_not_negative"),
    )

    @property
    def is_file(self) -> bool:
        return self.kind == MaterialKind.FILE


class MaterialBlob(db.Model):
    """The bytes of one stored file, for ``EVENTHUB_MATERIALS_STORAGE=database`` (several web hosts, one database).

    Keyed by the SHA-256 of the content, like the folder storage's file names: the same file uploaded twice is
    stored once."""

    __tablename__ = "material_blobs"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    # When these bytes were last saved: an upload of the same file moves it, so the sweep's grace period
    # (``materials.sweep``) protects bytes an upload is about to reference.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
