"""/api/v1/events/<id>/agenda: read an event's agenda, or replace it as a whole (all or nothing).

Events the caller may not see answer 404 as missing ones do; a visible event whose agenda the caller may not
edit answers 403.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from eventhub.agenda import services
from eventhub.agenda.models import Agenda, AgendaItem
from eventhub.api.auth import require_api_user
from eventhub.api.parsing import INT4_MAX, check_instant_years, json_object, text_problem
from eventhub.db import utcnow
from eventhub.errors import NotAllowed, NotFound, ValidationFailed
from eventhub.events.models import Event
from eventhub.events.services import get_event
from eventhub.extensions import db
from eventhub.minutes.people import owner_value
from eventhub.minutes.permissions import can_edit_agenda
from eventhub.accounts.permissions import can_view_event

AGENDA_FIELDS = {"items": (list,), "allows_parallel": (bool,), "published": (bool,)}


def register_routes(bp: Blueprint) -> None:
    """Add the agenda routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    for rule, view, methods in ROUTES:
        bp.add_url_rule(rule, view.__name__, view, methods=methods)


def visible_event(event_id: int) -> Event:
    """The event if the API caller may see it; NotFound otherwise."""
    if event_id > INT4_MAX:
        raise NotFound(f"No event {event_id}.")
    event = get_event(event_id)
    if not can_view_event(g.api_user, event):
        raise NotFound(f"No event {event_id}.")
    return event


def nested_text_problems(value: Any, path: str) -> dict[str, str]:
    """Strings anywhere inside ``value`` that cannot be stored (NUL, too long, bad Unicode), by field path."""
    if isinstance(value, str):
        problem = text_problem(value)
        return {path: problem} if problem else {}
    problems: dict[str, str] = {}
    if isinstance(value, dict):
        for key, inner in value.items():
            problems.update(nested_text_problems(inner, f"{path}.{key}" if path else str(key)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            problems.update(nested_text_problems(inner, f"{path}[{index}]"))
    return problems


def json_object_with_lists(fields: dict[str, tuple[type, ...]]) -> dict[str, Any]:
    """``json_object`` for bodies with list fields: a non-list value there is a 422 on that field.

    (``parsing.json_object`` names the expected types of a mistyped field, and has no name for lists.)
    """
    raw = request.get_json(silent=True) if request.is_json else None
    if isinstance(raw, dict):
        wrong = {name: "expected a list" for name, types in fields.items() if list in types and name in raw and not isinstance(raw[name], list)}
        if wrong:
            raise ValidationFailed("Some fields are not valid.", wrong)
    return json_object(fields)


def check_shapes(body: dict[str, Any]) -> None:
    """Refuse unstorable strings and out-of-range years inside nested items before any service sees them."""
    errors = nested_text_problems(body, "")
    for index, item in enumerate(body.get("items") or []):
        if isinstance(item, dict):
            try:
                check_instant_years(item, ("starts_at", "ends_at"))
            except ValidationFailed as exc:
                errors.update({f"items[{index}].{name}": problem for name, problem in exc.fields.items()})
    if errors:
        raise ValidationFailed("Some fields are not valid.", errors)


def agenda_json(event: Event, agenda: Agenda | None, include_unpublished: bool) -> dict[str, Any]:
    shown = agenda is not None and (agenda.is_published or include_unpublished)
    return {
        "event_id": event.id,
        "timezone": event.timezone,
        "allows_parallel": bool(agenda and agenda.allows_parallel),
        "published_at": agenda.published_at.isoformat() if agenda and agenda.published_at else None,
        "version": agenda.version if agenda else 0,
        "items": [item_json(item, event) for _day, items in services.agenda_days(agenda, event.timezone) for item in items] if shown else [],
    }


def item_json(item: AgendaItem, event: Event) -> dict[str, Any]:
    """Times as wall-clock time in the event's zone with the offset: readable, and accepted again by PUT."""
    return {
        "id": item.id,
        "position": item.position,
        "day": item.local_day(event.timezone).isoformat(),
        "starts_at": item.starts_at.astimezone(event.zone).isoformat(),
        "ends_at": item.ends_at.astimezone(event.zone).isoformat(),
        "title": item.title,
        "description": item.description,
        "kind": item.kind.value,
        "owner": owner_value(item.owner_person, item.owner_text),
        "owner_name": item.owner_label or None,
    }


@require_api_user()
def get_agenda(event_id: int) -> ResponseReturnValue:
    """The event's agenda; only its editors see it before it is published."""
    event = visible_event(event_id)
    return jsonify(agenda_json(event, services.find_agenda(event), can_edit_agenda(g.api_user, event)))


@require_api_user()
def put_agenda(event_id: int) -> ResponseReturnValue:
    """Replace the whole agenda (organisers, admins, the series' secretaries); optionally publish it."""
    body = json_object_with_lists(AGENDA_FIELDS)
    event = visible_event(event_id)
    if not can_edit_agenda(g.api_user, event):
        raise NotAllowed("Only organisers and the series' secretaries may edit the agenda.")
    if "items" not in body:
        raise ValidationFailed("items is required.", {"items": "required: a list of agenda items"})
    check_shapes(body)
    now = utcnow()
    agenda = services.replace_agenda(event, body["items"], now, body.get("allows_parallel"))
    if body.get("published") is True:
        services.publish_agenda(event, now)
    elif body.get("published") is False:
        services.unpublish_agenda(event)
    db.session.commit()
    return jsonify(agenda_json(event, agenda, True))


ROUTES = (
    ("/events/<int:event_id>/agenda", get_agenda, ["GET"]),
    ("/events/<int:event_id>/agenda", put_agenda, ["PUT"]),
)
