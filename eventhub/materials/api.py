"""/api/v1/events/<id>/materials: list an event's materials, attach a file or a link (multipart), remove one.

Events the caller may not see answer 404 as missing ones do. Attaching and removing need the rights of the
materials page (the event's keepers; an agenda item's owner for that item: the services check which), checked
before the body is read; an upload over ``EVENTHUB_MAX_UPLOAD_MB`` is a 413 before it is read at all.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from eventhub import clock
from eventhub.api.paging import PageQuery, paged, window_of
from eventhub.api.parsing import MULTIPART
from eventhub.api.routes import Route
from eventhub.api.routes import register_routes as _register
from eventhub.errors import NotAllowed, ValidationFailed
from eventhub.events.api import visible_event
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.materials import schemas, services
from eventhub.materials.presenters import may_open_materials
from eventhub.uploads import takes_upload


def register_routes(bp: Blueprint) -> None:
    """Add the materials routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    _register(bp, ROUTES)


def changeable_materials_event(event_id: int, material_id: int | None = None) -> Any:
    event = visible_event(event_id)
    if not may_open_materials(g.api_user, event):
        raise NotAllowed("Only the event's organisers, the series' secretaries and agenda item owners may do this.")
    return event if material_id is None else services.get_material(event, material_id)


def list_materials(event: Event, query: PageQuery) -> schemas.MaterialList:
    """The event's materials, for whoever may see the event."""
    found = window_of(services.materials_of(event), query)
    return schemas.MaterialList(**paged(found, [schemas.Material.of(material) for material in found.items]))


@takes_upload
def create_material(event: Event, body: schemas.MaterialUpload) -> tuple[schemas.Material, int]:
    """Attach a file or a link."""
    if (body.file is None) == (body.url is None):
        raise ValidationFailed("Give either a file or a url.", {"file": "give a file or a url, not both"})
    fields = {"title": body.title, "agenda_item": body.agenda_item, "dated_on": body.dated_on}
    now = clock.now()
    if body.file is not None:
        upload = services.Upload(body.file.read(), body.file.filename)
        material = services.attach_file(event, upload, fields, g.api_user, now)
    else:
        material = services.attach_link(event, body.url, fields, g.api_user, now)
    db.session.commit()
    return schemas.Material.of(material), 201


def delete_material(material: Any) -> tuple[str, int]:
    """Remove a material (its file's bytes go once no other material uses them)."""
    services.remove_material(material, g.api_user, clock.now())
    db.session.commit()
    return "", 204


ROUTES = (
    Route(
        "/events/<int:event_id>/materials", list_materials, "GET", "The event's materials (files and links)",
        {200: schemas.MaterialList}, (404, 422), load=visible_event, query=PageQuery,
    ),
    Route(
        "/events/<int:event_id>/materials", create_material, "POST",
        "Attach a file or a link (organisers, admins, the series' secretaries; an agenda item's owner to that item)",
        {201: schemas.Material}, (403, 404, 413, 415, 422), load=changeable_materials_event,
        body=schemas.MaterialUpload, body_media=MULTIPART,
    ),
    Route(
        "/events/<int:event_id>/materials/<int:material_id>", delete_material, "DELETE", "Remove a material",
        {204: None}, (403, 404), load=changeable_materials_event,
    ),
)  # fmt: skip
