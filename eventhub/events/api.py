"""/api/v1 routes for series, their members, and events.

Each view parses its input, loads and authorizes, makes one service call, commits and answers JSON. Errors are
raised, never caught: the JSON error handlers turn them into 4xx bodies. Members-only series and events the
caller may not see answer 404 exactly as missing ones do, so their existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, url_for
from flask.typing import ResponseReturnValue

from eventhub.accounts import permissions
from eventhub.api.auth import require_api_user
from eventhub.api.parsing import (
    INT4_MAX,
    NoneType,
    check_instant_years,
    json_object,
    query_enum,
    query_instant,
    query_int,
    query_text,
)
from eventhub.db import utcnow
from eventhub.errors import NotAllowed, NotFound, ValidationFailed
from eventhub.events import services
from eventhub.events.models import Event, EventKind, EventStatus, Series
from eventhub.events.serializers import event_json, member_json, series_json
from eventhub.extensions import db
from eventhub.validation import SLUG_PATTERN

SERIES_FIELDS = {"slug": (str,), "title": (str,), "description": (str, NoneType), "visibility": (str,)}
MEMBER_FIELDS = {"email": (str,), "name": (str, NoneType), "organisation": (str, NoneType), "role": (str,)}
EVENT_FIELDS = {
    "title": (str,),
    "kind": (str,),
    "series": (str, NoneType),
    "number": (int, NoneType),
    "starts_at": (str,),
    "ends_at": (str,),
    "timezone": (str,),
    "description": (str, NoneType),
    "location": (str, NoneType),
    "online_url": (str, NoneType),
    "country": (str, NoneType),
    "capacity": (int, NoneType),
    "registration_closes_at": (str, NoneType),
    "visibility": (str, NoneType),
    "invitation_only": (bool,),
}
INSTANT_FIELDS = ("starts_at", "ends_at", "registration_closes_at")
MAX_PAGE = 500


def register_routes(bp: Blueprint) -> None:
    """Add this area's routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    for rule, view, methods in ROUTES:
        bp.add_url_rule(rule, view.__name__, view, methods=methods)


def _base_url() -> str:
    return current_app.config["BASE_URL"]


def _visible_series(slug: str) -> Series:
    """The series ``slug`` if the caller may see it; NotFound otherwise, also for slugs that cannot exist."""
    if len(slug) > 80 or not SLUG_PATTERN.match(slug):
        raise NotFound(f"No series {slug!r}.")
    series = services.get_series(slug)
    if not permissions.can_view_series(g.api_user, series):
        raise NotFound(f"No series {slug!r}.")
    return series


def _visible_event(event_id: int) -> Event:
    """The event if the caller may see it; NotFound otherwise (ids past the integer column cannot exist)."""
    if event_id > INT4_MAX:
        raise NotFound(f"No event {event_id}.")
    event = services.get_event(event_id)
    if not permissions.can_view_event(g.api_user, event):
        raise NotFound(f"No event {event_id}.")
    return event


# ---------------------------------------------------------------------------------------------------------
# Series and members
# ---------------------------------------------------------------------------------------------------------


@require_api_user()
def list_series() -> ResponseReturnValue:
    """The series the caller may see, by title."""
    member_of = None if permissions.is_staff(g.api_user) else permissions.member_series_ids(g.api_user)
    items = services.list_series(visible_to_member_of=member_of)
    return jsonify(items=[series_json(series, _base_url()) for series in items])


@require_api_user(permissions.can_manage_series)
def create_series() -> ResponseReturnValue:
    """Create a series; 409 when the slug is taken."""
    body = json_object(SERIES_FIELDS)
    series = services.create_series(
        body.get("slug"), body.get("title"), body.get("description") or "", body.get("visibility", "public")
    )
    db.session.commit()
    location = url_for("api.get_series", slug=series.slug)
    return series_json(series, _base_url()), 201, {"Location": location}


@require_api_user()
def get_series(slug: str) -> ResponseReturnValue:
    """One series the caller may see."""
    return series_json(_visible_series(slug), _base_url())


@require_api_user()
def list_members(slug: str) -> ResponseReturnValue:
    """The members of a series, by name: for staff and the series' secretaries (the list has email addresses)."""
    series = _visible_series(slug)
    if not permissions.can_view_members(g.api_user, series):
        raise NotAllowed("Only organisers and the series' secretaries may list its members.")
    return jsonify(items=[member_json(membership) for membership in services.members_of(series)])


@require_api_user(permissions.can_manage_series)
def add_member(slug: str) -> ResponseReturnValue:
    """Add a person (created if new) to a series: 201 when added, 200 when already a member."""
    body = json_object(MEMBER_FIELDS)
    series = _visible_series(slug)
    membership, created = services.add_series_member(
        series, body.get("email"), body.get("name"), body.get("organisation"), body.get("role", "member")
    )
    db.session.commit()
    return member_json(membership), 201 if created else 200


# ---------------------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------------------


@require_api_user()
def list_events() -> ResponseReturnValue:
    """The events the caller may see, by start time, filtered by series, kind, status and start (from/to)."""
    filters = _event_filters()
    if permissions.is_staff(g.api_user):
        events = services.list_events(**filters)
    else:
        events = services.list_events_visible_to_member(permissions.member_series_ids(g.api_user), **filters)
    return jsonify(
        items=[event_json(event, _base_url()) for event in events], limit=filters["limit"], offset=filters["offset"]
    )


def _event_filters() -> dict[str, Any]:
    """The list filters from the query string; an unknown (or hidden) series is a 422 on ``series``."""
    slug = query_text("series")
    series = None
    if slug is not None:
        try:
            series = _visible_series(slug)
        except NotFound:
            raise ValidationFailed(f"No series {slug!r}.", {"series": "no such series"}) from None
    return {
        "series": series,
        "kind": query_enum("kind", EventKind),
        "status": query_enum("status", EventStatus),
        "starts_after": query_instant("from"),
        "starts_before": query_instant("to"),
        "limit": query_int("limit", 100, 1, MAX_PAGE),
        "offset": query_int("offset", 0, 0, INT4_MAX),
    }


@require_api_user(permissions.can_manage_events)
def create_event() -> ResponseReturnValue:
    """Create an event; times are local to ``timezone`` unless they carry an offset."""
    body = json_object(EVENT_FIELDS)
    check_instant_years(body, INSTANT_FIELDS)
    event = services.create_event(services.EventInput(**body), now=utcnow())
    db.session.commit()
    location = url_for("api.get_event", event_id=event.id)
    return event_json(event, _base_url()), 201, {"Location": location}


@require_api_user()
def get_event(event_id: int) -> ResponseReturnValue:
    """One event the caller may see."""
    return event_json(_visible_event(event_id), _base_url())


@require_api_user(permissions.can_manage_events)
def update_event(event_id: int) -> ResponseReturnValue:
    """Change some fields of an event; 409 if it is cancelled."""
    body = json_object(EVENT_FIELDS)
    check_instant_years(body, INSTANT_FIELDS)
    event = services.update_event(_visible_event(event_id), body, now=utcnow())
    db.session.commit()
    return event_json(event, _base_url())


@require_api_user(permissions.can_manage_events)
def cancel_event(event_id: int) -> ResponseReturnValue:
    """Cancel an event (it stays listed as cancelled); cancelling twice changes nothing."""
    event = services.cancel_event(_visible_event(event_id), now=utcnow())
    db.session.commit()
    return event_json(event, _base_url())


ROUTES = (
    ("/series", list_series, ["GET"]),
    ("/series", create_series, ["POST"]),
    ("/series/<slug>", get_series, ["GET"]),
    ("/series/<slug>/members", list_members, ["GET"]),
    ("/series/<slug>/members", add_member, ["POST"]),
    ("/events", list_events, ["GET"]),
    ("/events", create_event, ["POST"]),
    ("/events/<int:event_id>", get_event, ["GET"]),
    ("/events/<int:event_id>", update_event, ["PATCH"]),
    ("/events/<int:event_id>/cancel", cancel_event, ["POST"]),
)
