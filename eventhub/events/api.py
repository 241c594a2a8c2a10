"""/api/v1 routes for series, their members, and events.

Each view gets its resource already loaded and authorised and its body already parsed (``eventhub.api.routes``),
makes one service call, commits and answers a model of ``eventhub.events.schemas``. Errors are raised, never
caught: the JSON error handlers turn them into 4xx bodies. Members-only series and events the caller may not
see answer 404 exactly as missing ones do, so their existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, url_for
from flask.typing import ResponseReturnValue

from eventhub import clock
from eventhub.accounts import permissions
from eventhub.accounts.memberships import grant_series_membership
from eventhub.api.paging import PageQuery, paged
from eventhub.api.routes import Route
from eventhub.api.routes import register_routes as _register
from eventhub.errors import NotAllowed, NotFound, ValidationFailed
from eventhub.events import queries, schemas, services
from eventhub.events.models import Event, Series
from eventhub.events.people import language_fallback
from eventhub.extensions import db
from eventhub.pagination import window
from eventhub.registration.capacity import update_event_seats


def register_routes(bp: Blueprint) -> None:
    """Add this area's routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    _register(bp, ROUTES)


def visible_series(slug: str) -> Series:
    """The series ``slug`` if the caller may see it; NotFound otherwise (``get_series`` refuses impossible slugs)."""
    series = services.get_series(slug)
    if not permissions.can_view_series(g.api_user, series):
        raise NotFound(f"No series {slug!r}.")
    return series


def visible_event(event_id: int) -> Event:
    """The event if the caller may see it; NotFound otherwise (the route's converter refuses ids past int4)."""
    event = services.get_event(event_id)
    if not permissions.can_view_event(g.api_user, event):
        raise NotFound(f"No event {event_id}.")
    return event


def managed_event(event_id: int) -> Event:
    """The event if the caller may manage it: NotFound if they may not see it, NotAllowed if they may see it
    but do not organise its series (an event without a series: did not create it)."""
    event = visible_event(event_id)
    if not permissions.can_manage_event(g.api_user, event):
        raise NotAllowed("Only the organisers of this event's series and admins may manage it.")
    return event


def managed_series(slug: str) -> Series:
    """The series if the caller may manage it: NotFound if they may not see it, NotAllowed otherwise."""
    series = visible_series(slug)
    if not permissions.can_manage_series(g.api_user, series):
        raise NotAllowed("Only the organisers of this series and admins may manage it.")
    return series


def _require_managed_series(slug: str | None) -> None:
    """An event goes only into a series the caller manages (403 on ``series``); an unknown slug is left to the
    service, which answers 422 on ``series``."""
    if not slug:
        return
    try:
        series = services.get_series(slug)
    except NotFound:
        return
    if not permissions.can_manage_series(g.api_user, series):
        raise NotAllowed("You do not organise this series.", {"series": "you do not organise this series"})


def _members_series(slug: str) -> Series:
    series = visible_series(slug)
    if not permissions.can_view_members(g.api_user, series):
        raise NotAllowed("Only organisers and the series' secretaries may list its members.")
    return series


# ---------------------------------------------------------------------------------------------------------
# Series and members
# ---------------------------------------------------------------------------------------------------------


def list_series(query: PageQuery) -> schemas.SeriesList:
    """The series the caller may see, by title."""
    found = window(queries.series_query(permissions.visible_series_clause(g.api_user)), query.offset, query.limit)
    return schemas.SeriesList(**paged(found, found.items))


def create_series(body: schemas.SeriesInput) -> ResponseReturnValue:
    """Create a series (the caller becomes its organiser); 409 when the slug is taken."""
    values = body.model_dump(mode="json", exclude_unset=True, warnings="error")
    values.pop("slug")
    values.setdefault("visibility", body.visibility.value)
    series = services.create_series(body.slug, **values, actor=g.api_user, now=clock.now())
    db.session.commit()
    return schemas.Series.model_validate(series), 201, {"Location": url_for("api.get_series", slug=series.slug)}


def get_series(series: Series) -> schemas.Series:
    """One series the caller may see."""
    return schemas.Series.model_validate(series)


def update_series(series: Series, body: schemas.SeriesPatch) -> schemas.Series:
    """Change some settings of a series; every field is checked before any is saved."""
    changes = body.model_dump(mode="json", exclude_unset=True, warnings="error")
    series = services.update_series(series, changes, actor=g.api_user, now=clock.now())
    db.session.commit()
    return schemas.Series.model_validate(series)


def list_members(series: Series, query: PageQuery) -> schemas.MemberList:
    """The members of a series, by name: for staff and the series' secretaries (the list has email addresses)."""
    found = window(queries.members_query(series), query.offset, query.limit)
    return schemas.MemberList(**paged(found, found.items))


def add_member(series: Series, body: schemas.MemberInput) -> ResponseReturnValue:
    """Add a person (created if new) to a series: 201 when added (they get a welcome email), 200 when already a
    member; 403 when the caller may not grant the role (only admins appoint secretaries and organisers). A new
    member whose language eventhub does not speak is added, with a warning saying what they will read."""
    membership, created = grant_series_membership(
        g.api_user, series, body.email, body.name, body.organisation, body.role, body.language, now=clock.now()
    )
    fallback = language_fallback(membership.person, series) if created else None
    answer = schemas.MemberAdded.model_validate(membership)
    answer.warnings = [schemas.LanguageWarning.of(fallback)] if fallback else []
    db.session.commit()
    return answer, 201 if created else 200


# ---------------------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------------------


def list_events(query: schemas.EventListQuery) -> schemas.EventList:
    """The events the caller may see, by start time, filtered by series, kind, status and start (from/to)."""
    events = queries.events_query(**_event_filters(query), visible=permissions.visible_events_clause(g.api_user))
    found = window(events, query.offset, query.limit)
    return schemas.EventList(**paged(found, found.items))


def _event_filters(query: schemas.EventListQuery) -> dict[str, Any]:
    """The service's filters; an unknown (or hidden) series is a 422 on ``series``."""
    series = None
    if query.series is not None:
        try:
            series = visible_series(query.series)
        except NotFound:
            raise ValidationFailed(f"No series {query.series!r}.", {"series": "no such series"}) from None
    return {
        "series": series, "kind": query.kind, "status": query.status, "starts_after": query.from_,
        "starts_before": query.to,
    }  # fmt: skip


def create_event(body: schemas.EventInput) -> ResponseReturnValue:
    """Create an event; times are local to ``timezone`` unless they carry an offset."""
    values = body.model_dump(mode="json", exclude_unset=True, warnings="error")
    _require_managed_series(values.get("series"))
    event = services.create_event(services.EventInput(**values), now=clock.now(), actor=g.api_user)
    db.session.commit()
    return schemas.Event.model_validate(event), 201, {"Location": url_for("api.get_event", event_id=event.id)}


def get_event(event: Event) -> schemas.Event:
    """One event the caller may see."""
    return schemas.Event.model_validate(event)


def update_event(event: Event, body: schemas.EventChange) -> schemas.Event:
    """Change some fields of an event; 409 if it is cancelled, or if the capacity goes below the confirmed
    registrations without ``over_capacity`` saying what to do (``registration.capacity``). Moving it into
    another series needs the rights to manage that series too."""
    changes = body.model_dump(mode="json", exclude_unset=True, warnings="error")
    if changes.get("series") and changes["series"] != (event.series.slug if event.series else None):
        _require_managed_series(changes["series"])
    over_capacity = changes.pop("over_capacity", None)
    event = update_event_seats(event, changes, over_capacity, g.api_user, clock.now())
    db.session.commit()
    return schemas.Event.model_validate(event)


def cancel_event(event: Event) -> schemas.Event:
    """Cancel an event (it stays listed as cancelled); cancelling twice changes nothing."""
    event = services.cancel_event(event, now=clock.now(), actor=g.api_user)
    db.session.commit()
    return schemas.Event.model_validate(event)


BODY_ERRORS = (400, 415, 422)
ROUTES = (
    Route(
        "/series", list_series, "GET", "Series the caller may see, by title", {200: schemas.SeriesList}, (422,),
        query=PageQuery,
    ),
    Route(
        "/series", create_series, "POST", "Create a series (organisers; the creator becomes its organiser)",
        {201: schemas.Series}, (403, 409, *BODY_ERRORS),
        permission=permissions.can_manage_series, body=schemas.SeriesInput,
    ),
    Route("/series/<slug>", get_series, "GET", "One series", {200: schemas.Series}, (404,), load=visible_series),
    Route(
        "/series/<slug>", update_series, "PATCH", "Change some settings of a series (its organisers)",
        {200: schemas.Series}, (403, 404, *BODY_ERRORS),
        permission=permissions.can_manage_series, load=managed_series, body=schemas.SeriesPatch,
        description="Fields left out stay as they are; `reminder_offsets`, `language` and `retention_days` may be "
        "set to `null` (the defaults). The slug cannot change.",
    ),
    Route(
        "/series/<slug>/members", list_members, "GET", "Members of a series (organisers, the series' secretaries)",
        {200: schemas.MemberList}, (403, 404, 422), load=_members_series, query=PageQuery,
    ),
    Route(
        "/series/<slug>/members", add_member, "POST",
        "Add a person (created if new) to a series (its organisers, admins)",
        {201: schemas.MemberAdded, 200: schemas.MemberAdded}, (403, 404, 409, *BODY_ERRORS),
        permission=permissions.can_manage_series, load=managed_series, body=schemas.MemberInput,
        description="The series' organisers may add plain members; only admins may give the `secretary` and "
        "`organiser` roles (403 otherwise, also for an organiser naming themself). An organiser needs an account "
        "with the role organiser or admin (422 on `email` otherwise).",
    ),
    Route(
        "/events", list_events, "GET", "Events the caller may see, by start", {200: schemas.EventList}, (422,),
        query=schemas.EventListQuery,
    ),
    Route(
        "/events", create_event, "POST",
        "Create an event (organisers: in a series they organise, or without a series)", {201: schemas.Event},
        (403, 409, *BODY_ERRORS),
        permission=permissions.can_manage_events, body=schemas.EventInput,
    ),
    Route("/events/<int:event_id>", get_event, "GET", "One event", {200: schemas.Event}, (404,), load=visible_event),
    Route(
        "/events/<int:event_id>", update_event, "PATCH",
        "Change some fields of an event (the organisers of its series, its creator if it has none, admins)",
        {200: schemas.Event}, (403, 404, 409, *BODY_ERRORS),
        description="Lowering `capacity` below the confirmed registrations answers 409 "
        "(`capacity_below_confirmed`) unless `over_capacity` says what to do: `keep` or `waitlist_latest`.",
        permission=permissions.can_manage_events, load=managed_event, body=schemas.EventChange,
    ),
    Route(
        "/events/<int:event_id>/cancel", cancel_event, "POST",
        "Cancel an event (the organisers of its series, its creator if it has none, admins); cancelling twice "
        "changes nothing", {200: schemas.Event}, (403, 404),
        permission=permissions.can_manage_events, load=managed_event,
    ),
)  # fmt: skip
