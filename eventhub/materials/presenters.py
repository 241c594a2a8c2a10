"""Materials as other pages, emails and calendars show them: links that work, grouped by agenda item where
they are attached, with sizes and types a person can read.

The event page, the published minutes and their email, the series' minutes archive and the calendar entries
(ATTACH) all take their entries from here, so they link to the same addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_decimal

from eventhub.agenda.models import Agenda, AgendaItem
from eventhub.agenda.permissions import can_edit_agenda
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.ical import Attachment
from eventhub.materials import services
from eventhub.materials.models import Material
from eventhub.materials.permissions import can_change_material, can_manage_all_materials
from eventhub.urls import absolute_url

TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
}


@dataclass(frozen=True)
class MaterialEntry:
    """One material as a link: ``href`` is a path on this site for pages, absolute for emails."""

    id: int
    title: str
    href: str
    is_file: bool
    type_label: str
    size: int | None
    dated_on: date | None
    content_type: str | None

    @property
    def size_text(self) -> str:
        """ "240 KB", "3.4 MB" in the reader's number format; "" for a link."""
        if self.size is None:
            return ""
        if self.size < 1024 * 1024:
            return f"{format_decimal(max(1, round(self.size / 1024)))} KB"
        return f"{format_decimal(round(self.size / (1024 * 1024), 1))} MB"


def entry_of(material: Material, absolute: bool = False) -> MaterialEntry:
    return MaterialEntry(
        id=material.id, title=material.title, href=material_url(material, absolute), is_file=material.is_file,
        type_label=type_label(material), size=material.size, dated_on=material.dated_on,
        content_type=material.content_type,
    )  # fmt: skip


def material_url(material: Material, absolute: bool = True) -> str:
    """Where a material is read: the download address of a file (absolute for emails, calendars and the API; a
    path for pages, which work wherever the site is reached), the link itself otherwise."""
    if not material.is_file:
        return material.url or ""
    build = absolute_url if absolute else url_for
    return build("materials.download", event_id=material.event_id, material_id=material.id, name=material.file_name)


def type_label(material: Material) -> str:
    if not material.is_file:
        return "Link"
    content_type = material.content_type or ""
    if content_type.startswith("application/vnd.oasis.opendocument."):
        return "OpenDocument"
    return TYPE_LABELS.get(content_type, "File")


def material_links(event: Event, absolute: bool = False) -> list[MaterialEntry]:
    """The event's materials as links (the published minutes; ``absolute`` for their email)."""
    return [entry_of(material, absolute) for material in services.materials_of(event)]


def materials_for_events(event_ids: list[int]) -> dict[int, list[MaterialEntry]]:
    """Materials of many events in one query (the minutes archive)."""
    found = services.materials_by_event(event_ids)
    return {event_id: [entry_of(material) for material in found[event_id]] for event_id in found}


def calendar_attachments(event_ids: list[int] | sa.Select) -> dict[int, list[Attachment]]:
    """What each event's VEVENT lists as ATTACH: files with their type, links without one."""
    query = sa.select(Material).where(Material.event_id.in_(event_ids)).order_by(Material.event_id, Material.id)
    found: dict[int, list[Attachment]] = {}
    for material in db.session.scalars(query):
        content_type = material.content_type if material.is_file else None
        found.setdefault(material.event_id, []).append(Attachment(material_url(material), content_type))
    return found


def materials_for_page(
    event: Event, viewer: Any, agenda: Agenda | None
) -> list[tuple[str | None, list[MaterialEntry]]]:
    """The event page's groups: the event's own materials first (heading None), then one group per agenda item
    in agenda order. Items of an unpublished agenda are named only to its editors; others see those materials
    with the event's own. ``agenda`` is the event's (``find_agenda``), which the page has read already."""
    named = agenda is not None and (agenda.is_published or can_edit_agenda(viewer, event))
    general: list[MaterialEntry] = []
    by_item: dict[int, list[MaterialEntry]] = {}
    for material in services.materials_of(event):
        if named and material.agenda_item_id is not None:
            by_item.setdefault(material.agenda_item_id, []).append(entry_of(material))
        else:
            general.append(entry_of(material))
    items = sorted(agenda.items, key=lambda i: (i.starts_at, i.position)) if named and agenda else []
    groups = [(None, general)] if general else []
    return groups + [(item.title, by_item[item.id]) for item in items if item.id in by_item]


def may_open_materials(user: Any, event: Event) -> bool:
    """The materials page is for the event's keepers and for the owners of its agenda items."""
    if can_manage_all_materials(user, event):
        return True
    person_id = getattr(user, "person_id", None) if getattr(user, "is_authenticated", False) else None
    if person_id is None:
        return False
    owned = (
        sa.select(AgendaItem.id)
        .join(Agenda)
        .where(Agenda.event_id == event.id, AgendaItem.owner_person_id == person_id)
    )
    return db.session.scalar(owned.limit(1)) is not None


def manage_rows(event: Event, user: Any) -> list[dict[str, Any]]:
    """The materials page's table: each material with where it is attached and whether ``user`` may change it."""
    return [
        {
            "material": material,
            "entry": entry_of(material),
            "href": material_url(material, absolute=False),
            "attached_to": material.agenda_item.title if material.agenda_item else None,
            "can_change": can_change_material(user, event, material.agenda_item),
        }
        for material in services.materials_of(event)
    ]
