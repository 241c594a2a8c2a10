"""Reading the audit log: an event's entries, a series' entries (its events' included), newest first, optionally
of one action. Queries only: pages and the API cut them into pages (``eventhub.pagination``).

The audit area imports no other area, so the caller says which events belong to a series (a ``select`` of their
ids): an event moved into the series later brings its earlier entries along.
"""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.audit.models import AuditAction, AuditEntry


def about_event(event_id: int) -> sa.ColumnElement[bool]:
    """The entries of one event."""
    return AuditEntry.event_id == event_id


def about_series(series_id: int, event_ids: sa.Select) -> sa.ColumnElement[bool]:
    """The entries of a series: its own (settings, members, organisers) and those of its events (``event_ids``)."""
    return sa.or_(AuditEntry.series_id == series_id, AuditEntry.event_id.in_(event_ids))


def entries_query(where: sa.ColumnElement[bool], action: AuditAction | str | None = None) -> sa.Select:
    """The entries matching ``where`` (and ``action``, if given), newest first; equal instants by the order they
    were written."""
    query = sa.select(AuditEntry).where(where)
    if action:
        query = query.where(AuditEntry.action == str(action))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def parse_action(value: str | None) -> AuditAction | None:
    """The action a filter names, or None for no filter (also for a value that names no action)."""
    try:
        return AuditAction(value) if value else None
    except ValueError:
        return None
