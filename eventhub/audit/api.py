"""/api/v1 routes of the audit log: an event's entries, and a series' entries with its events', newest first
(for whoever manages the event or series, as on the pages). Read only: no route changes or deletes an entry."""

from __future__ import annotations

from flask import Blueprint

from eventhub.accounts import permissions
from eventhub.api.paging import paged
from eventhub.api.routes import Route
from eventhub.api.routes import register_routes as _register
from eventhub.audit import queries, schemas
from eventhub.events.api import managed_event, managed_series
from eventhub.events.models import Event, Series
from eventhub.events.queries import series_event_ids
from eventhub.pagination import window


def register_routes(bp: Blueprint) -> None:
    """Add this area's routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    _register(bp, ROUTES)


def event_audit(event: Event, query: schemas.AuditQuery) -> schemas.AuditList:
    """The event's audit log, newest first, optionally of one action."""
    return _page(queries.about_event(event.id), query)


def series_audit(series: Series, query: schemas.AuditQuery) -> schemas.AuditList:
    """The series' audit log with its events' entries, newest first, optionally of one action."""
    return _page(queries.about_series(series.id, series_event_ids(series)), query)


def _page(where, query: schemas.AuditQuery) -> schemas.AuditList:
    found = window(queries.entries_query(where, query.action), query.offset, query.limit)
    return schemas.AuditList(**paged(found, [schemas.AuditEntry.of(entry) for entry in found.items]))


ROUTES = (
    Route(
        "/events/<int:event_id>/audit", event_audit, "GET",
        "The audit log of an event: who changed or exported what, when (its organisers, admins)",
        {200: schemas.AuditList}, (403, 404, 422),
        permission=permissions.can_manage_events, load=managed_event, query=schemas.AuditQuery,
    ),
    Route(
        "/series/<slug>/audit", series_audit, "GET",
        "The audit log of a series and its events (its organisers, admins)",
        {200: schemas.AuditList}, (403, 404, 422),
        permission=permissions.can_manage_series, load=managed_series, query=schemas.AuditQuery,
    ),
)  # fmt: skip
