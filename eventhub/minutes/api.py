"""/api/v1 routes of the minutes: the working copy of a meeting (secretaries of the series and admins),
publication, and a series' archive.

Events and series the caller may not see answer 404. Organisers who are not secretaries of the series may read
the working copy but not change it (403, before the body is read).
"""

from __future__ import annotations

from flask import Blueprint, g
from flask.typing import ResponseReturnValue

from eventhub import clock
from eventhub.api.paging import PageQuery, paged, window_of
from eventhub.api.routes import Route
from eventhub.api.routes import register_routes as _register
from eventhub.errors import NotAllowed, NotFound
from eventhub.events.api import visible_event, visible_series
from eventhub.events.models import Event, Series
from eventhub.extensions import db
from eventhub.minutes import emails, publication, schemas, services
from eventhub.minutes.permissions import can_edit_minutes, can_read_draft, visible_published_minutes

BODY_ERRORS = (400, 415, 422)


def register_routes(bp: Blueprint) -> None:
    """Add the minutes routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    _register(bp, ROUTES)


def meeting(event_id: int) -> Event:
    """A visible numbered meeting of a series (Conflict for other events: they have no minutes)."""
    event = visible_event(event_id)
    services.require_meeting(event)
    return event


def editable_meeting(event_id: int) -> Event:
    event = visible_event(event_id)
    if not can_edit_minutes(g.api_user, event):
        raise NotAllowed("Only the series' secretaries and admins may change its minutes.")
    services.require_meeting(event)
    return event


def get_minutes(event: Event) -> schemas.MinutesDraft | schemas.PublishedMinutes:
    """The working copy for its editors and staff; the latest published version for everyone else who may see it."""
    if can_read_draft(g.api_user, event):
        minutes = services.find_minutes(event)
        return schemas.MinutesDraft.empty(event) if minutes is None else schemas.MinutesDraft.of(minutes)
    try:
        published = publication.get_published(event.series, event.number)
    except NotFound:
        raise NotFound(f"No published minutes for event {event.id}.") from None
    return schemas.PublishedMinutes.of(published)


def put_minutes(event: Event, body: schemas.MinutesInput) -> schemas.MinutesDraft:
    """Set the body (required) and any structured parts of the working copy."""
    values = body.model_dump(mode="json", exclude_unset=True, warnings="error")
    minutes = services.update_minutes(event, values, clock.now())
    db.session.commit()
    return schemas.MinutesDraft.of(minutes)


def publish_minutes(event: Event, body: schemas.PublishInput) -> ResponseReturnValue:
    """Publish the working copy as the next version and email the series' members."""
    version = emails.publish_minutes(event, clock.now(), g.api_user.person, body.change_note or "", account=g.api_user)
    db.session.commit()
    return schemas.PublishedMinutes.of(publication.get_published(event.series, event.number, version.number)), 201


def list_series_minutes(series: Series, query: PageQuery) -> schemas.MinutesArchive:
    """A series' published minutes, newest meeting first. Who may see each meeting is decided per meeting in
    Python (``visible_published_minutes``), so the page is cut after that: an archive holds one entry a meeting,
    tens, not thousands."""
    found = window_of(visible_published_minutes(g.api_user, publication.published_minutes_of(series)), query)
    return schemas.MinutesArchive(**paged(found, [schemas.ArchivedMinutes.of(entry) for entry in found.items]))


ROUTES = (
    Route(
        "/events/<int:event_id>/minutes", get_minutes, "GET",
        "The working copy (secretaries, admins, organisers read-only) or else the latest published version",
        {200: (schemas.MinutesDraft, schemas.PublishedMinutes)}, (404, 409), load=meeting,
    ),
    Route(
        "/events/<int:event_id>/minutes", put_minutes, "PUT",
        "Set the body and any structured parts of the working copy (secretaries of the series, admins)",
        {200: schemas.MinutesDraft}, (403, 404, 409, *BODY_ERRORS), load=editable_meeting, body=schemas.MinutesInput,
    ),
    Route(
        "/events/<int:event_id>/minutes/publish", publish_minutes, "POST",
        "Publish the working copy as the next version and email the series' members (secretaries, admins)",
        {201: schemas.PublishedMinutes}, (403, 404, 409, *BODY_ERRORS), load=editable_meeting,
        body=schemas.PublishInput, body_required=False,
    ),
    Route(
        "/series/<slug>/minutes", list_series_minutes, "GET", "A series' published minutes, newest meeting first",
        {200: schemas.MinutesArchive}, (404, 422), load=visible_series, query=PageQuery,
    ),
)  # fmt: skip
