"""/api/v1 routes of the minutes: the working copy of a meeting (secretaries of the series and admins),
publication, and a series' archive.

Events and series the caller may not see answer 404. Organisers who are not secretaries of the series may read
the working copy but not change it (403).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from eventhub.accounts.permissions import can_view_series
from eventhub.agenda.api import json_object_with_lists, nested_text_problems, visible_event
from eventhub.api.auth import require_api_user
from eventhub.api.parsing import NoneType, json_object
from eventhub.db import utcnow
from eventhub.errors import NotAllowed, NotFound, ValidationFailed
from eventhub.events.models import Event
from eventhub.events.services import SLUG_PATTERN, get_series
from eventhub.extensions import db
from eventhub.minutes import emails, publication, services
from eventhub.minutes.emails import minutes_url
from eventhub.minutes.permissions import can_edit_minutes, can_read_draft, visible_published_minutes
from eventhub.minutes.presenters import person_label

MINUTES_FIELDS = {
    "body": (str,),
    "attendees": (list,),
    "round_table": (list,),
    "decisions": (list,),
    "action_items": (list,),
    "deadlines": (list,),
    "materials": (list,),
    "next_meeting": (str, NoneType),
}
PUBLISH_FIELDS = {"change_note": (str, NoneType)}


def register_routes(bp: Blueprint) -> None:
    """Add the minutes routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    for rule, view, methods in ROUTES:
        bp.add_url_rule(rule, view.__name__, view, methods=methods)


def _editable_event(event_id: int) -> Event:
    event = visible_event(event_id)
    if not can_edit_minutes(g.api_user, event):
        raise NotAllowed("Only the series' secretaries and admins may change its minutes.")
    services.require_meeting(event)
    return event


def published_json(event: Event, published: publication.PublishedMinutes) -> dict[str, Any]:
    version = published.version
    return {
        "event_id": event.id,
        "number": event.number,
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "change_note": version.change_note,
        "body": version.body,
        "parts": version.parts,
        "url": minutes_url(event),
    }


@require_api_user()
def get_minutes(event_id: int) -> ResponseReturnValue:
    """The working copy for its editors and staff; the latest published version for everyone else who may see it."""
    event = visible_event(event_id)
    services.require_meeting(event)
    if can_read_draft(g.api_user, event):
        minutes = services.find_minutes(event)
        if minutes is None:
            return jsonify(body="", attendees=[], round_table=[], decisions=[], action_items=[], deadlines=[],
                           materials=[], next_meeting=None, published_version=0, circulated_at=None, event_id=event.id)  # fmt: skip
        return jsonify(services.minutes_json(minutes))
    try:
        published = publication.get_published(event.series, event.number)
    except NotFound:
        raise NotFound(f"No published minutes for event {event_id}.") from None
    return jsonify(published_json(event, published))


@require_api_user()
def put_minutes(event_id: int) -> ResponseReturnValue:
    """Set the body (required) and any structured parts of the working copy."""
    body = json_object_with_lists(MINUTES_FIELDS)
    event = _editable_event(event_id)
    if "body" not in body:
        raise ValidationFailed("body is required.", {"body": "required: the minutes in Markdown"})
    problems = nested_text_problems(body, "")
    if problems:
        raise ValidationFailed("Some fields are not valid.", problems)
    minutes = services.update_minutes(event, body, utcnow())
    db.session.commit()
    return jsonify(services.minutes_json(minutes))


@require_api_user()
def publish_minutes(event_id: int) -> ResponseReturnValue:
    """Publish the working copy as the next version and email the series' members."""
    body = json_object(PUBLISH_FIELDS) if request.get_data() else {}
    event = _editable_event(event_id)
    version = emails.publish_minutes(event, utcnow(), g.api_user.person, body.get("change_note") or "")
    db.session.commit()
    return published_json(event, publication.get_published(event.series, event.number, version.number)), 201


@require_api_user()
def list_series_minutes(slug: str) -> ResponseReturnValue:
    """A series' published minutes, newest meeting first."""
    if len(slug) > 80 or not SLUG_PATTERN.match(slug):
        raise NotFound(f"No series {slug!r}.")
    series = get_series(slug)
    if not can_view_series(g.api_user, series):
        raise NotFound(f"No series {slug!r}.")
    items = [
        {
            "event_id": entry.event.id,
            "number": entry.event.number,
            "title": entry.event.title,
            "starts_at": entry.event.starts_at.isoformat(),
            "version": entry.version.number,
            "published_at": entry.version.published_at.isoformat(),
            "attendees": [person_label(p) for p in entry.version.parts.get("attendees", [])],
            "url": minutes_url(entry.event),
        }
        for entry in visible_published_minutes(g.api_user, publication.published_minutes_of(series))
    ]
    return jsonify(items=items)


ROUTES = (
    ("/events/<int:event_id>/minutes", get_minutes, ["GET"]),
    ("/events/<int:event_id>/minutes", put_minutes, ["PUT"]),
    ("/events/<int:event_id>/minutes/publish", publish_minutes, ["POST"]),
    ("/series/<slug>/minutes", list_series_minutes, ["GET"]),
)
