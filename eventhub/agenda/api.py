"""/api/v1/events/<id>/agenda: read an event's agenda, or replace it as a whole (all or nothing).

Events the caller may not see answer 404 as missing ones do; a visible event whose agenda the caller may not
edit answers 403, before its body is read.
"""

from __future__ import annotations

from flask import Blueprint, g

from eventhub import clock
from eventhub.agenda import schemas, services
from eventhub.agenda.permissions import can_edit_agenda
from eventhub.api.routes import Route
from eventhub.api.routes import register_routes as _register
from eventhub.errors import NotAllowed
from eventhub.events.api import visible_event
from eventhub.events.models import Event
from eventhub.extensions import db


def register_routes(bp: Blueprint) -> None:
    """Add the agenda routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    _register(bp, ROUTES)


def editable_agenda_event(event_id: int) -> Event:
    event = visible_event(event_id)
    if not can_edit_agenda(g.api_user, event):
        raise NotAllowed("Only the event's organisers and the series' secretaries may edit the agenda.")
    return event


def get_agenda(event: Event) -> schemas.Agenda:
    """The event's agenda; only its editors see it before it is published."""
    return schemas.Agenda.of(event, services.find_agenda(event), can_edit_agenda(g.api_user, event))


def put_agenda(event: Event, body: schemas.AgendaInput) -> schemas.Agenda:
    """Replace the whole agenda (organisers, admins, the series' secretaries); optionally publish it."""
    now = clock.now()
    items = body.model_dump(mode="json", exclude_unset=True, warnings="error")["items"]
    agenda = services.replace_agenda(event, items, now, body.allows_parallel)
    if body.published is True:
        services.publish_agenda(event, now, g.api_user)
    elif body.published is False:
        services.unpublish_agenda(event, now, g.api_user)
    db.session.commit()
    return schemas.Agenda.of(event, agenda, True)


ROUTES = (
    Route(
        "/events/<int:event_id>/agenda", get_agenda, "GET", "The agenda (editors also see it before it is published)",
        {200: schemas.Agenda}, (404,), load=visible_event,
    ),
    Route(
        "/events/<int:event_id>/agenda", put_agenda, "PUT",
        "Replace the whole agenda, all or nothing (organisers, admins, the series' secretaries)",
        {200: schemas.Agenda}, (400, 403, 404, 409, 415, 422), load=editable_agenda_event, body=schemas.AgendaInput,
    ),
)  # fmt: skip
