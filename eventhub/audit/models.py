"""One row per change made by an organiser, secretary or admin (or by the retention job), never edited.

Rows are written in the transaction of the change they describe, so a change and its entry commit or roll back
together. They are append-only: ``eventhub.audit.log`` refuses every UPDATE and DELETE of this table through the
ORM except inside ``rewriting_history`` (the retention job and erasure, which remove a person's identity from old
entries and keep the action).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.extensions import db


class AuditAction(enum.StrEnum):
    """What happened. Stored as text (new actions need no migration); shown through ``labels.AUDIT_ACTION``."""

    EVENT_CREATED = "event.created"
    EVENT_UPDATED = "event.updated"
    EVENT_MOVED = "event.moved"
    EVENT_CANCELLED = "event.cancelled"
    SERIES_CREATED = "series.created"
    SERIES_UPDATED = "series.updated"
    INVITATIONS_SENT = "invitations.sent"
    INVITATION_RESENT = "invitation.resent"
    INVITATION_REVOKED = "invitation.revoked"
    REQUEST_DECIDED = "request.decided"
    REGISTRATION_CHANGED = "registration.changed"
    MEMBER_ADDED = "member.added"
    MEMBER_REMOVED = "member.removed"
    ORGANISER_APPOINTED = "organiser.appointed"
    ORGANISER_DISMISSED = "organiser.dismissed"
    AGENDA_PUBLISHED = "agenda.published"
    AGENDA_UNPUBLISHED = "agenda.unpublished"
    MINUTES_CIRCULATED = "minutes.circulated"
    MINUTES_PUBLISHED = "minutes.published"
    MATERIAL_ADDED = "material.added"
    MATERIAL_REPLACED = "material.replaced"
    MATERIAL_REMOVED = "material.removed"
    ROLE_CHANGED = "account.role_changed"
    ACCOUNT_CREATED = "account.created"
    ACCOUNT_DEACTIVATED = "account.deactivated"
    ACCOUNT_REACTIVATED = "account.reactivated"
    EXPORT_DOWNLOADED = "export.downloaded"
    PERSON_EXPORTED = "person.exported"
    PERSON_ERASED = "person.erased"
    RETENTION_APPLIED = "retention.applied"


class AuditEntry(db.Model):
    """``fields`` maps a changed field to ``[before, after]`` (JSON values; a list of ids or addresses where a
    change touched many rows). ``actor_label`` is the actor's address at the time, so the entry still says who
    after the account is gone; ``subject`` names what the change was about ("Anna Nowak <anna@…>", "12 people")."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(300), default="")
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="SET NULL"), index=True)
    # The person the change was about (an invitee, a member, a registrant), for erasure to find and forget.
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    fields: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
