"""Read-only queries over events and series: lists for pages, feeds and the API.

The rules that change events and series live in ``eventhub.events.services``; these functions only select.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.events.models import Event, EventKind, EventStatus, Series, Visibility
from eventhub.extensions import db


def upcoming_events(now: datetime, visibility: Visibility | None = Visibility.PUBLIC, limit: int = 100) -> list[Event]:
    """Events that have not ended yet, soonest first; cancelled ones are kept (shown as cancelled)."""
    query = sa.select(Event).where(Event.ends_at > now).order_by(Event.starts_at).limit(limit)
    query = query.options(joinedload(Event.series))  # event cards name the series
    if visibility is not None:
        query = query.where(Event.visibility == visibility)
    return list(db.session.scalars(query))


def list_events(
    now: datetime | None = None,
    series: Series | None = None,
    kind: EventKind | None = None,
    status: EventStatus | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    visibilities: tuple[Visibility, ...] | None = None,
    member_series_ids: tuple[int, ...] = (),
    limit: int = 100,
    offset: int = 0,
) -> list[Event]:
    """Events matching the filters, by start time. ``visibilities`` limits what a viewer may see;
    members-only events of ``member_series_ids`` stay visible to their members."""
    query = sa.select(Event).order_by(Event.starts_at, Event.id).limit(limit).offset(offset)
    if series is not None:
        query = query.where(Event.series_id == series.id)
    if kind is not None:
        query = query.where(Event.kind == kind)
    if status is not None:
        query = query.where(Event.status == status)
    if starts_after is not None:
        query = query.where(Event.starts_at >= starts_after)
    if starts_before is not None:
        query = query.where(Event.starts_at < starts_before)
    if visibilities is not None:
        visible = Event.visibility.in_(visibilities)
        if member_series_ids:
            visible = sa.or_(visible, Event.series_id.in_(member_series_ids))
        query = query.where(visible)
    return list(db.session.scalars(query))


def public_series() -> list[Series]:
    """Series anyone may see, by title: the home page lists them."""
    return list(db.session.scalars(sa.select(Series).where(Series.visibility == Visibility.PUBLIC).order_by(Series.title)))


def upcoming_events_of(series: Series, now: datetime, limit: int = 100) -> list[Event]:
    """Events of ``series`` that have not ended yet (a meeting in progress still counts), soonest first."""
    query = sa.select(Event).where(Event.series_id == series.id, Event.ends_at > now)
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id).limit(limit)))


def past_events_of(series: Series, now: datetime, limit: int = 100) -> list[Event]:
    """Events of ``series`` that have ended, newest first (the last meeting is the one people look for)."""
    query = sa.select(Event).where(Event.series_id == series.id, Event.ends_at <= now)
    return list(db.session.scalars(query.order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)))


def list_series(visible_to_member_of: tuple[int, ...] | None = None) -> list[Series]:
    """Series by title. With ``visible_to_member_of`` (a non-staff viewer's series ids), only public series
    and those members-only series; None lists every series, as staff see them."""
    query = sa.select(Series).order_by(Series.title, Series.id)
    if visible_to_member_of is not None:
        query = query.where(sa.or_(Series.visibility == Visibility.PUBLIC, Series.id.in_(visible_to_member_of)))
    return list(db.session.scalars(query))


def list_events_visible_to_member(
    member_series_ids: tuple[int, ...],
    series: Series | None = None,
    kind: EventKind | None = None,
    status: EventStatus | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Event]:
    """``list_events`` for a viewer who is not staff, applying in SQL the rule of ``permissions.can_view_event``:
    public events outside members-only series, plus every event of the series the viewer belongs to.

    (``list_events(visibilities=...)`` alone would show the public events of a members-only series to anyone.)
    """
    public_series_ids = sa.select(Series.id).where(Series.visibility == Visibility.PUBLIC)
    visible = sa.or_(
        Event.series_id.in_(member_series_ids),
        sa.and_(Event.visibility == Visibility.PUBLIC, sa.or_(Event.series_id.is_(None), Event.series_id.in_(public_series_ids))),
    )
    query = sa.select(Event).where(visible).order_by(Event.starts_at, Event.id).limit(limit).offset(offset)
    conditions = (
        (series, lambda: Event.series_id == series.id),
        (kind, lambda: Event.kind == kind),
        (status, lambda: Event.status == status),
        (starts_after, lambda: Event.starts_at >= starts_after),
        (starts_before, lambda: Event.starts_at < starts_before),
    )
    for value, condition in conditions:
        if value is not None:
            query = query.where(condition())
    return list(db.session.scalars(query))
