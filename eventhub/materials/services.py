"""The rules of materials: attach a file or a link to an event or one of its agenda items, replace a file,
remove a material, and list them.

Functions take ``actor`` (the account acting) and ``now``, flush and never commit; every change is recorded in
the audit log. A file's type is sniffed from its bytes (``materials.files``) and its bytes go to the configured
storage (``materials.storage``) under their SHA-256, so the same file attached twice is stored once. Replacing
or removing a material leaves its bytes to ``materials.sweep``, which removes them once no material uses them.

A change to an event's materials changes its calendar entry (the ATTACH lines): ``materials_changed`` is the
one place that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from eventhub.agenda.models import Agenda, AgendaItem
from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.db import built_once
from eventhub.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.materials.files import safe_file_name, sniff_content_type
from eventhub.materials.models import MAX_TITLE, MAX_URL, Material, MaterialKind
from eventhub.materials.permissions import can_change_material
from eventhub.materials.storage import Storage, current_storage
from eventhub.texts import lazy_text as _l
from eventhub.validation import clean_fields, http_url, required_text

MEGABYTE = 1024 * 1024


class FileTooLarge(DomainError):
    """A file over ``EVENTHUB_MAX_UPLOAD_MB`` (the request itself is refused earlier when it says its size)."""

    status = 413
    code = "payload_too_large"


@dataclass(frozen=True)
class Upload:
    """An uploaded file as the services take it: its bytes and the name the client gave (only a hint)."""

    data: bytes
    file_name: str | None


def upload_limit() -> int:
    """The largest file accepted, in bytes (``EVENTHUB_MAX_UPLOAD_MB``, 25 by default)."""
    return int(current_app.config["MAX_UPLOAD_MB"]) * MEGABYTE


# ---------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------


def materials_of(event: Event) -> list[Material]:
    """The event's materials, dated ones newest first, then by title; each with its agenda item."""
    return list(db.session.scalars(_materials_query(), {"event_id": event.id}))


@built_once
def _materials_query() -> sa.Select:
    return (
        sa.select(Material)
        .where(Material.event_id == sa.bindparam("event_id"))
        .options(joinedload(Material.agenda_item))
        .order_by(Material.dated_on.desc().nulls_last(), Material.title, Material.id)
    )


def materials_by_event(event_ids: list[int]) -> dict[int, list[Material]]:
    """Materials of many events in one query (the minutes archive, the feeds)."""
    found: dict[int, list[Material]] = {}
    if not event_ids:
        return found
    query = (
        sa.select(Material)
        .where(Material.event_id.in_(event_ids))
        .order_by(Material.event_id, Material.dated_on.desc().nulls_last(), Material.title, Material.id)
    )
    for material in db.session.scalars(query):
        found.setdefault(material.event_id, []).append(material)
    return found


def get_material(event: Event, material_id: int) -> Material:
    """The event's material ``material_id``; NotFound for another event's or a missing one."""
    material = db.session.get(Material, material_id)
    if material is None or material.event_id != event.id:
        raise NotFound(_l("No such material."))
    return material


def agenda_items_of(event: Event) -> list[AgendaItem]:
    query = sa.select(AgendaItem).join(Agenda).where(Agenda.event_id == event.id)
    return list(db.session.scalars(query.order_by(AgendaItem.starts_at, AgendaItem.position)))


def read_file(material: Material, storage: Storage | None = None) -> bytes:
    """The bytes of a file material; NotFound when the storage lost them (a moved folder, a restored backup)."""
    data = (storage or current_storage()).read(material.file_key or "") if material.is_file else None
    if data is None:
        raise NotFound(_l("This file is not available."))
    return data


# ---------------------------------------------------------------------------------------------------------
# Changing
# ---------------------------------------------------------------------------------------------------------


def attach_file(
    event: Event, upload: Upload, fields: dict[str, Any], actor: Any, now: datetime, storage: Storage | None = None
) -> Material:
    """Attach ``upload`` with ``fields`` (``title``, optional ``agenda_item`` id and ``dated_on``).

    Raises ValidationFailed (bad fields, an empty file), FileTooLarge, NotAllowed (``actor`` may not attach there).
    """
    values = _clean(event, fields, actor)
    material = Material(event=event, kind=MaterialKind.FILE, added_by_id=getattr(actor, "id", None), **values)
    _store(material, upload, now, storage)
    db.session.add(material)
    _changed(AuditAction.MATERIAL_ADDED, material, actor, now, file=(None, material.file_name))
    return material


def attach_link(event: Event, url: Any, fields: dict[str, Any], actor: Any, now: datetime) -> Material:
    """Attach an http(s) link with ``fields`` as ``attach_file`` takes them."""
    cleaned = clean_fields({"url": lambda: _required_url(url), "values": lambda: _clean(event, fields, actor)})
    material = Material(
        event=event, kind=MaterialKind.LINK, url=cleaned["url"], added_by_id=getattr(actor, "id", None),
        **cleaned["values"],
    )  # fmt: skip
    db.session.add(material)
    _changed(AuditAction.MATERIAL_ADDED, material, actor, now, url=(None, material.url))
    return material


def replace_file(
    material: Material, upload: Upload, actor: Any, now: datetime, storage: Storage | None = None
) -> Material:
    """Put a new file in place of ``material``'s (a link becomes a file): same id, title and place, so every
    link to it (the minutes, calendars) now gives the new file. The old bytes are left to the sweep."""
    _check_may_change(material, actor)
    old_name = material.file_name or material.url
    material.kind, material.url = MaterialKind.FILE, None
    _store(material, upload, now, storage)
    _changed(AuditAction.MATERIAL_REPLACED, material, actor, now, file=(old_name, material.file_name))
    return material


def remove_material(material: Material, actor: Any, now: datetime) -> None:
    """Delete ``material``; the sweep removes its file's bytes once no other material uses them (nobody can
    download them from now on: every download goes through a material)."""
    _check_may_change(material, actor)
    _changed(AuditAction.MATERIAL_REMOVED, material, actor, now, title=(material.title, None))
    db.session.delete(material)
    db.session.flush()


def materials_changed(event: Event, now: datetime) -> None:
    """The event's calendar entry changed (its ATTACH lines): its ``updated_at`` moves, which is what the feeds'
    ETags, LAST-MODIFIED and DTSTAMP follow. Where a cache of rendered calendar text is dropped, hook it here."""
    event.updated_at = now
    db.session.flush()


def _clean(event: Event, fields: dict[str, Any], actor: Any) -> dict[str, Any]:
    values = clean_fields(
        {
            "title": lambda: required_text(fields.get("title"), "title", MAX_TITLE),
            "agenda_item": lambda: _agenda_item(event, fields.get("agenda_item")),
            "dated_on": lambda: _date(fields.get("dated_on")),
        }
    )
    if not can_change_material(actor, event, values["agenda_item"]):
        raise NotAllowed(_l("You may attach materials only to the agenda items you own."))
    return values


def _agenda_item(event: Event, item_id: Any) -> AgendaItem | None:
    if item_id in (None, ""):
        return None
    item = db.session.get(AgendaItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.agenda.event_id != event.id:
        raise ValidationFailed(_l("No such agenda item."), {"agenda_item": _l("not an item of this event's agenda")})
    return item


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(_l("Not a date."), {"dated_on": _l("a date (YYYY-MM-DD)")}) from None


def _required_url(value: Any) -> str:
    url = http_url(value, "url", MAX_URL)
    if url is None:
        raise ValidationFailed(_l("A link is required."), {"url": _l("required")})
    return url


def _store(material: Material, upload: Upload, now: datetime, storage: Storage | None) -> None:
    if not upload.data:
        raise ValidationFailed(_l("The file is empty."), {"file": _l("choose a file that is not empty")})
    if len(upload.data) > upload_limit():
        raise FileTooLarge(_l("The file is larger than %(size)d MB.", size=upload_limit() // MEGABYTE))
    content_type = sniff_content_type(upload.data, upload.file_name or "")
    material.file_key = (storage or current_storage()).save(upload.data, now)
    material.file_name = safe_file_name(upload.file_name, content_type)
    material.content_type = content_type
    material.size = len(upload.data)


def _check_may_change(material: Material, actor: Any) -> None:
    if not can_change_material(actor, material.event, material.agenda_item):
        raise NotAllowed(_l("You may change only the materials of the agenda items you own."))


def _changed(action: AuditAction, material: Material, actor: Any, now: datetime, **fields: Any) -> None:
    material.updated_at = now
    db.session.flush()
    audit.record(action, actor=actor, now=now, event=material.event, subject=material.title, fields=fields)
    materials_changed(material.event, now)
