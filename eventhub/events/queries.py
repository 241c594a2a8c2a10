"""Read-only queries over events and series: lists for pages, feeds and the API.

The rules that change events and series live in ``eventhub.events.services``; these functions only select.
Who may see what is not decided here (events sit below accounts): each list takes ``visible``, a WHERE
condition the caller builds with ``eventhub.accounts.permissions.visible_events_clause`` (or
``visible_series_clause``), so the rule is applied in the query. None lists everything (staff, scripts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from eventhub.events.models import (
    Event,
    EventKind,
    EventStatus,
    MembershipRole,
    Person,
    Series,
    SeriesMembership,
    Visibility,
)
from eventhub.extensions import db

Condition = sa.ColumnElement[bool] | None


def upcoming_events(
    now: datetime, visibility: Visibility | None = Visibility.PUBLIC, limit: int = 100, visible: Condition = None
) -> list[Event]:
    """Events that have not ended yet, soonest first; cancelled ones are kept (shown as cancelled)."""
    query = sa.select(Event).where(Event.ends_at > now).order_by(Event.starts_at).limit(limit)
    query = query.options(joinedload(Event.series))  # event cards name the series
    if visibility is not None:
        query = query.where(Event.visibility == visibility)
    return _scalars(query, visible)


def list_events(
    series: Series | None = None, visible: Condition = None, limit: int = 100, offset: int = 0, **filters: Any
) -> list[Event]:
    """Events matching the filters of ``events_query`` (each None means any) that are ``visible``, by start."""
    return list(db.session.scalars(events_query(series, visible=visible, **filters).limit(limit).offset(offset)))


def events_query(
    series: Series | None = None,
    kind: EventKind | None = None,
    status: EventStatus | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    visible: Condition = None,
) -> sa.Select:
    """Events matching the filters (each None means any) that are ``visible``, by start time (for the caller to
    cut into pages)."""
    query = sa.select(Event).order_by(Event.starts_at, Event.id)
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
    return query if visible is None else query.where(visible)


def public_series() -> list[Series]:
    """Series anyone may see, by title: the home page lists them."""
    query = sa.select(Series).where(Series.visibility == Visibility.PUBLIC).order_by(Series.title)
    return list(db.session.scalars(query))


def upcoming_events_of(series: Series, now: datetime, limit: int = 100, visible: Condition = None) -> list[Event]:
    """Events of ``series`` that have not ended yet (a meeting in progress still counts), soonest first."""
    query = sa.select(Event).where(Event.series_id == series.id, Event.ends_at > now)
    return _scalars(query.order_by(Event.starts_at, Event.id).limit(limit), visible)


def past_events_of(series: Series, now: datetime, limit: int = 100, visible: Condition = None) -> list[Event]:
    """Events of ``series`` that have ended, newest first (the last meeting is the one people look for)."""
    query = sa.select(Event).where(Event.series_id == series.id, Event.ends_at <= now)
    return _scalars(query.order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit), visible)


def list_series(visible: Condition = None) -> list[Series]:
    """The ``visible`` series (a condition on ``Series``) by title."""
    return list(db.session.scalars(series_query(visible)))


def series_query(visible: Condition = None) -> sa.Select:
    """The ``visible`` series by title, as a statement (the API cuts it into pages)."""
    query = sa.select(Series).order_by(Series.title, Series.id)
    return query if visible is None else query.where(visible)


def members_query(series: Series) -> sa.Select:
    """The series' memberships by member name, each with its person and organisation (the API lists both)."""
    return (
        sa.select(SeriesMembership)
        .join(SeriesMembership.person)
        .where(SeriesMembership.series_id == series.id)
        .options(contains_eager(SeriesMembership.person).joinedload(Person.organisation))
        .order_by(Person.name, SeriesMembership.id)
    )


def secretary_series_ids(person_id: int) -> list[int]:
    """The series where ``person_id`` is secretary (their dashboard lists those series' meetings)."""
    query = sa.select(SeriesMembership.series_id).where(
        SeriesMembership.person_id == person_id, SeriesMembership.role == MembershipRole.SECRETARY
    )
    return list(db.session.scalars(query))


def series_events_between(start: datetime, end: datetime, series_ids: list[int] | None = None) -> list[Event]:
    """Events of a series starting in [start, end), by start; only of ``series_ids`` unless it is None (all)."""
    query = sa.select(Event).where(Event.series_id.is_not(None), Event.starts_at >= start, Event.starts_at < end)
    if series_ids is not None:
        query = query.where(Event.series_id.in_(series_ids))
    query = query.options(joinedload(Event.series)).order_by(Event.starts_at, Event.id)
    return list(db.session.scalars(query))


def _scalars(query: sa.Select, visible: Condition) -> list[Event]:
    if visible is not None:
        query = query.where(visible)
    return list(db.session.scalars(query))


def series_event_ids(series: Series) -> sa.Select:
    """The ids of the series' events, as a subquery (the audit log of a series includes its events' entries)."""
    return sa.select(Event.id).where(Event.series_id == series.id)


def usual_timezone(series: Series) -> str | None:
    """The zone most of the series' events were held in (a tie goes to the zone of the latest of them): the one
    the organiser most likely wants again. None without events."""
    latest = sa.func.max(Event.starts_at)
    return db.session.scalar(
        sa.select(Event.timezone)
        .where(Event.series_id == series.id)
        .group_by(Event.timezone)
        .order_by(sa.func.count().desc(), latest.desc())
        .limit(1)
    )
