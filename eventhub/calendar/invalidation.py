"""Which feeds a change affects: their change counters (``FeedVersion.version``) are raised in the same flush.

A feed's stored body is served while its counter is unchanged, so every write that changes what a feed shows
must raise it in its own transaction. Rather than trusting every service (and every future one) to call us,
the calendar listens to the session itself (``connect_listeners``, from ``calendar.handlers``):

* after each flush, the inserted, changed and deleted rows of the models feeds are made of name the events,
  series and people concerned; one upsert raises ``event:<id>``, ``series:<id>`` and the ``person:<id>`` of
  everyone whose personal feed shows those events or items (only people who have a feed link);
* a bulk ``INSERT`` of such rows (a list of invitations) names its people and events in its parameters; a bulk
  ``UPDATE`` or ``DELETE`` (retention, erasure) cannot be traced cheaply, so it raises every feed's counter:
  rare, and a stale feed is worse than a rebuild.

Counters are upserted, not only updated, so a feed first built by a poller concurrently with a change still
sees the change (the poller's row would otherwise be written after a no-op update).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import ORMExecuteState, Session

from eventhub.accounts.models import User
from eventhub.agenda.models import Agenda, AgendaItem
from eventhub.calendar.models import FeedToken, FeedVersion
from eventhub.db import insert_or_update
from eventhub.events.models import Event, Organisation, Person, Series, SeriesMembership
from eventhub.minutes.models import ActionItem, Deadline, Minutes
from eventhub.registration.models import Invitation, Registration

HANDLED = "feeds_handled"  # execution option of statements whose feeds were already raised (or that change none)
WATCHED = (
    Event, Series, Agenda, AgendaItem, Registration, Invitation, SeriesMembership,
    Minutes, ActionItem, Deadline, Person, User, FeedToken,
)  # fmt: skip
WATCHED_TABLES = frozenset(model.__tablename__ for model in WATCHED) | {"organisations"}
NAMING_TABLES = frozenset({"people", "organisations", "agenda_items", "agendas"})  # in agenda lines
_RAISED = "calendar_raised_events"  # session.info: events raised in before_flush, for after_flush


@dataclass
class Affected:
    """Ids named by a flush; ``bump_feeds`` widens them to every feed that shows them."""

    events: set[int] = field(default_factory=set)
    series: set[int] = field(default_factory=set)  # their events' ORGANIZER and every member's feed
    agendas: set[int] = field(default_factory=set)
    minutes: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return any((self.events, self.series, self.agendas, self.minutes, self.people))


def _ids(obj: Any, attribute: str) -> set[int]:
    """The attribute's current value and, for a changed row, its value before (a row moved between owners)."""
    history = sa.inspect(obj).attrs[attribute].history
    values = {*history.added, *history.deleted, *history.unchanged, getattr(obj, attribute)}
    return {value for value in values if value is not None}


COLLECTORS: dict[type, tuple[str, str]] = {
    Event: ("events", "id"),
    Series: ("series", "id"),
    Agenda: ("events", "event_id"),
    AgendaItem: ("agendas", "agenda_id"),
    Registration: ("people", "person_id"),
    Invitation: ("people", "person_id"),
    SeriesMembership: ("people", "person_id"),
    FeedToken: ("people", "person_id"),
    User: ("people", "person_id"),
    Person: ("people", "id"),
    Minutes: ("minutes", "id"),
    ActionItem: ("people", "owner_person_id"),
    Deadline: ("minutes", "minutes_id"),
}


def collect(session: Session) -> Affected:
    """What the rows being flushed name (called after the flush: new rows have their ids)."""
    affected = Affected()
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in [*session.new, *changed, *session.deleted]:
        found = COLLECTORS.get(type(obj))
        if found is not None:
            getattr(affected, found[0]).update(_ids(obj, found[1]))
        if isinstance(obj, Event):
            affected.series.update(_ids(obj, "series_id"))
        if isinstance(obj, ActionItem):
            affected.minutes.update(_ids(obj, "minutes_id"))
    return affected


def bump_feeds(session: Session, affected: Affected) -> None:
    """Raise the counters of every feed that shows what ``affected`` names (a few statements)."""
    events = set(affected.events)
    if affected.agendas:
        events.update(session.scalars(sa.select(Agenda.event_id).where(Agenda.id.in_(affected.agendas))))
    if affected.series:
        events.update(session.scalars(sa.select(Event.id).where(Event.series_id.in_(affected.series))))
    series = set(affected.series)
    if events:
        series.update(s for s in session.scalars(sa.select(Event.series_id).where(Event.id.in_(events))) if s)
    keys = [f"event:{i}" for i in sorted(events)] + [f"series:{i}" for i in sorted(series)]
    _raise(session, keys)
    named = FeedToken.person_id.in_(affected.people)
    if events or series or affected.minutes:
        named = sa.or_(named, FeedToken.person_id.in_(_people_of(events, series, affected.minutes)))
    key = sa.literal("person:") + sa.cast(FeedToken.person_id, sa.String)
    _raise(session, sa.select(key, sa.literal(1)).where(named))


def _people_of(events: set[int], series: set[int], minutes: set[int]) -> sa.Select:
    """Everyone whose personal feed may show these events (registered, invited, member of their series) or
    these minutes' items (action item owners, members of the meeting's series)."""
    meetings_series = (
        sa.select(Event.series_id).join(Minutes, Minutes.event_id == Event.id).where(Minutes.id.in_(minutes))
    )
    return sa.union(
        sa.select(Registration.person_id).where(Registration.event_id.in_(events)),
        sa.select(Invitation.person_id).where(Invitation.event_id.in_(events)),
        sa.select(SeriesMembership.person_id).where(
            sa.or_(SeriesMembership.series_id.in_(series), SeriesMembership.series_id.in_(meetings_series))
        ),
        sa.select(ActionItem.owner_person_id).where(ActionItem.minutes_id.in_(minutes)),
    )


def _raise(session: Session, keys: list[str] | sa.Select) -> None:
    table = FeedVersion.__table__
    statement = insert_or_update(table, session, ["feed_key"], {"version": table.c.version + 1})
    if isinstance(keys, sa.Select):
        session.execute(statement.from_select(["feed_key", "version"], keys), execution_options={HANDLED: True})
    elif keys:
        rows = [{"feed_key": key, "version": 1} for key in keys]
        session.execute(statement.values(rows), execution_options={HANDLED: True})


def raise_every_feed(session: Session) -> None:
    """For changes that cannot be traced to their feeds: every stored feed is rebuilt on its next poll."""
    table = FeedVersion.__table__
    session.execute(sa.update(table).values(version=table.c.version + 1), execution_options={HANDLED: True})


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Raise ``calendar_version`` of every event whose calendar text may change in this flush: its own row, its
    agenda, or the name of an agenda item's owner (a person, their organisation). A counter, not the rows'
    ``updated_at``: two changes within one clock tick (a frozen clock, a clock set back) must still re-render.
    The events raised through others' rows are noted for ``_after_flush``, which raises their feeds."""
    events, agendas, people, organisations = set(), set(), set(), set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Event) and obj in session.dirty and session.is_modified(obj):
            obj.calendar_version = Event.calendar_version + 1
        elif isinstance(obj, Agenda):
            events.update(_ids(obj, "event_id"))
        elif isinstance(obj, AgendaItem):
            agendas.update(_ids(obj, "agenda_id"))
        elif isinstance(obj, Person) and obj not in session.new and session.is_modified(obj):
            people.add(obj.id)
        elif isinstance(obj, Organisation) and obj not in session.new and session.is_modified(obj):
            organisations.add(obj.id)
    if agendas:
        events.update(session.scalars(sa.select(Agenda.event_id).where(Agenda.id.in_(agendas))))
    if people or organisations:
        events.update(session.scalars(_events_naming(people, organisations)))
    if events:
        raise_calendar_versions(session, sa.select(Event.id).where(Event.id.in_(events)))
        session.info.setdefault(_RAISED, set()).update(events)


def _events_naming(people: set[int], organisations: set[int] | None) -> sa.Select:
    """Events whose agenda names one of ``people`` or someone of ``organisations`` as an item's owner (every
    event with an agenda when ``organisations`` is None: a bulk change of people, whose ids are unknown)."""
    if organisations is None:
        return sa.select(Agenda.event_id)
    query = sa.select(Agenda.event_id).join(AgendaItem, AgendaItem.agenda_id == Agenda.id).distinct()
    of_organisations = sa.select(Person.id).where(Person.organisation_id.in_(organisations))
    return query.where(sa.or_(AgendaItem.owner_person_id.in_(people), AgendaItem.owner_person_id.in_(of_organisations)))


def raise_calendar_versions(session: Session, event_ids: sa.Select) -> None:
    """Make the stored components of ``event_ids`` out of date (their feeds are raised by the caller)."""
    table = Event.__table__
    statement = (
        sa.update(table)
        .where(table.c.id.in_(event_ids))
        .values(calendar_version=table.c.calendar_version + 1, updated_at=table.c.updated_at)
    )
    session.execute(statement, execution_options={HANDLED: True})


def _after_flush(session: Session, _context: Any) -> None:
    affected = collect(session)
    affected.events.update(session.info.pop(_RAISED, set()))
    if affected:
        bump_feeds(session, affected)


def _on_execute(state: ORMExecuteState) -> None:
    """Bulk statements on the tables feeds are made of (the unit of work's own are seen by ``_after_flush``)."""
    if not (state.is_insert or state.is_update or state.is_delete) or state.execution_options.get(HANDLED):
        return
    table = getattr(state.statement, "table", None)
    if table is None or getattr(table, "name", None) not in WATCHED_TABLES or _changes_nothing(state.statement):
        return
    session = state.session
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    if state.is_insert and table.name == Person.__tablename__:
        return  # a new person is in no feed yet
    if state.is_insert and rows and all("person_id" in row or "event_id" in row for row in rows):
        bump_feeds(session, _named_by(rows))
        return
    if table.name in NAMING_TABLES:  # a name an agenda shows may have changed or gone (erasure, retention)
        raise_calendar_versions(session, _events_naming(set(), None))
    raise_every_feed(session)


def _named_by(rows: Iterable[dict[str, Any]]) -> Affected:
    affected = Affected()
    for row in rows:
        affected.people.update([row["person_id"]] if row.get("person_id") else [])
        affected.events.update([row["event_id"]] if row.get("event_id") else [])
    return affected


def _changes_nothing(statement: Any) -> bool:
    """``UPDATE t SET c = c`` (a row lock taken through an update) changes no feed."""
    values = getattr(statement, "_values", None) or {}
    return bool(values) and all(
        isinstance(value, sa.Column) and value.key == getattr(column, "key", column) for column, value in values.items()
    )


def connect_listeners() -> None:
    """Listen to every session (the app's, and the tests' own). Idempotent."""
    listeners = (("before_flush", _before_flush), ("after_flush", _after_flush), ("do_orm_execute", _on_execute))
    for name, listener in listeners:
        if not sa_event.contains(Session, name, listener):
            sa_event.listen(Session, name, listener)
