"""The API bodies of the audit log: one entry as ``GET /api/v1/events/<id>/audit`` and
``GET /api/v1/series/<slug>/audit`` answer it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, JsonValue

from eventhub.api.paging import PagedList, PageQuery
from eventhub.api.types import Instant, OutputModel
from eventhub.audit.models import AuditAction
from eventhub.audit.models import AuditEntry as AuditEntryRow

BeforeAfter = Annotated[list[JsonValue], Field(min_length=2, max_length=2)]


class AuditEntry(OutputModel):
    at: Instant
    actor: str | None = Field(
        description="The address of the acting account as it was then; null for eventhub itself or the command line"
    )
    action: AuditAction
    event_id: int | None = Field(description="The event the change belongs to (null for a series' own settings)")
    subject: str = Field(description="What or whom the change was about, e.g. `Anna Nowak <anna@kk.dk>`")
    fields: dict[str, BeforeAfter] = Field(
        description="Each changed field as `[before, after]` (`null` where there was or is nothing)",
        examples=[{"starts_at": ["2027-03-16T09:00:00+00:00", "2027-03-17T09:00:00+00:00"]}],
    )

    @classmethod
    def of(cls, entry: AuditEntryRow) -> AuditEntry:
        return cls(
            at=entry.at, actor=entry.actor_label or None, action=AuditAction(entry.action), event_id=entry.event_id,
            subject=entry.subject, fields=entry.fields or {},
        )  # fmt: skip


class AuditList(PagedList):
    items: list[AuditEntry]


class AuditQuery(PageQuery):
    action: AuditAction | None = Field(None, description="Only entries of this action.")
