"""A calendar feed's *state*: its strong ETag and its Last-Modified, and which rows each feed shows.

The state is computed by ONE aggregate query over exactly the rows the feed shows (count, sum of ids, newest
``updated_at``, sum of SEQUENCE) plus what else changes its text (series, agendas, minutes, the person's
registrations and memberships), without loading or rendering anything. A conditional request that matches is
answered from that state alone; a new ETag is recorded with its Last-Modified (the caller commits it).

Rules shared by all feeds: a members-only event never appears in a public feed; a cancelled event stays (with
STATUS:CANCELLED and its higher SEQUENCE, so subscribed clients remove it) until it has ended, then drops out.
The filters here are what ``eventhub.calendar.services`` builds the feeds from, so state and text cannot disagree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.accounts.models import User
from eventhub.accounts.permissions import events_visible_to_person_clause
from eventhub.agenda.models import Agenda
from eventhub.calendar.models import FeedToken, FeedVersion
from eventhub.db import UTCDateTime
from eventhub.events.models import Event, EventStatus, Person, Series, SeriesMembership, Visibility
from eventhub.extensions import db
from eventhub.minutes.models import ActionItem, Deadline, Minutes
from eventhub.registration.models import Invitation, InvitationStatus, Registration, RegistrationStatus
from eventhub.tokens import hash_token

PersonId = sa.ColumnElement[int] | int


@dataclass(frozen=True)
class FeedState:
    """A feed's validators. ``etag`` is the bare hash (the view quotes it); ``last_modified`` has whole seconds."""

    key: str
    etag: str
    last_modified: datetime
    is_new_version: bool = False  # recorded just now: the caller commits it


# ---------------------------------------------------------------------------------------------------------
# Which events a person's feed shows
# ---------------------------------------------------------------------------------------------------------


class EventSource(NamedTuple):
    """One reason an event is in a person's feed.

    ``event_ids(person_id)`` is a SELECT of event ids; ``markers(person_id)`` are scalar subqueries that change
    when the source's own rows change (a registration cancelled, a membership deleted), so the feed's ETag
    changes even where no event row did. ``person_id`` may be a SQL expression, so both fit inside one query.
    """

    name: str
    event_ids: Callable[[PersonId], sa.Select]
    markers: Callable[[PersonId], list[sa.ScalarSelect]]


def _registered_event_ids(person_id: PersonId) -> sa.Select:
    active = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    return sa.select(Registration.event_id).where(Registration.person_id == person_id, Registration.status.in_(active))


def _registration_markers(person_id: PersonId) -> list[sa.ScalarSelect]:
    mine = Registration.person_id == person_id
    return [
        sa.select(sa.func.count(Registration.id)).where(mine).scalar_subquery(),
        sa.select(sa.func.max(Registration.updated_at)).where(mine).scalar_subquery(),
    ]


def _member_series_event_ids(person_id: PersonId) -> sa.Select:
    return (
        sa.select(Event.id)
        .join(SeriesMembership, SeriesMembership.series_id == Event.series_id)
        .where(SeriesMembership.person_id == person_id)
    )


def _membership_markers(person_id: PersonId) -> list[sa.ScalarSelect]:
    mine = SeriesMembership.person_id == person_id
    return [
        sa.select(sa.func.count(SeriesMembership.id)).where(mine).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(SeriesMembership.id), 0)).where(mine).scalar_subquery(),
        sa.select(sa.func.max(SeriesMembership.updated_at)).where(mine).scalar_subquery(),
    ]


def _invited_event_ids(person_id: PersonId) -> sa.Select:
    """Events the person holds an unanswered invitation to (answered ones are registrations or declines)."""
    return sa.select(Invitation.event_id).where(
        Invitation.person_id == person_id, Invitation.status == InvitationStatus.PENDING
    )


def _invitation_markers(person_id: PersonId) -> list[sa.ScalarSelect]:
    mine = Invitation.person_id == person_id
    return [
        sa.select(sa.func.count(Invitation.id)).where(mine).scalar_subquery(),
        sa.select(sa.func.max(Invitation.updated_at)).where(mine).scalar_subquery(),
    ]


PERSONAL_EVENT_SOURCES: tuple[EventSource, ...] = (
    EventSource("registrations", _registered_event_ids, _registration_markers),
    EventSource("memberships", _member_series_event_ids, _membership_markers),
    EventSource("invitations", _invited_event_ids, _invitation_markers),
)


def still_shown(now: datetime | sa.BindParameter[datetime]) -> sa.ColumnElement[bool]:
    """Cancelled events stay until they have ended, so clients see the cancellation; then they drop out."""
    return sa.or_(Event.status != EventStatus.CANCELLED, Event.ends_at > now)


def personal_event_filter(
    person_id: PersonId, now: datetime | sa.BindParameter[datetime]
) -> list[sa.ColumnElement[bool]]:
    """The person's events (registered, invited, their series') that the person may see on the site."""
    ids = sa.union(*(source.event_ids(person_id) for source in PERSONAL_EVENT_SOURCES))
    visible = events_visible_to_person_clause(person_id)
    return [Event.id.in_(sa.select(ids.subquery().c[0])), visible, still_shown(now)]


def series_event_filter(
    series_id: int | sa.ColumnElement[int], now: datetime | sa.BindParameter[datetime]
) -> list[sa.ColumnElement[bool]]:
    """A public series' feed: its public events only (a members-only event of a public series stays out).

    Narrower than the site's rule on purpose: this feed has no reader (anyone with its URL may subscribe, and
    nothing says who did), so it is what an anonymous visitor may see. Members see the rest in their personal
    feed, whose filter is ``accounts.permissions.events_visible_to_person_clause``."""
    return [Event.series_id == series_id, Event.visibility == Visibility.PUBLIC, still_shown(now)]


def action_item_filter(person_id: PersonId) -> list[sa.ColumnElement[bool]]:
    """The person's action items from published minutes (a draft's items may still change owner or date)."""
    return [ActionItem.owner_person_id == person_id, ActionItem.due_on.is_not(None), Minutes.published_version > 0]


def deadline_filter(person_id: PersonId) -> list[sa.ColumnElement[bool]]:
    member_series = sa.select(SeriesMembership.series_id).where(SeriesMembership.person_id == person_id)
    return [Event.series_id.in_(member_series), Minutes.published_version > 0]


# ---------------------------------------------------------------------------------------------------------
# Validators: one query per feed
# ---------------------------------------------------------------------------------------------------------


def _event_aggregates(conditions: list[sa.ColumnElement[bool]]) -> sa.Subquery:
    """One row describing the feed's events: anything that changes their text changes one of these."""
    return (
        sa.select(
            sa.func.count(Event.id).label("events"),
            sa.func.coalesce(sa.func.sum(Event.id), 0).label("id_sum"),
            sa.func.max(Event.updated_at).label("events_changed"),
            sa.func.coalesce(sa.func.sum(Event.sequence), 0).label("sequence_sum"),
            sa.func.max(Series.updated_at).label("series_changed"),
            sa.func.max(Agenda.updated_at).label("agendas_changed"),
        )
        .select_from(Event)
        .outerjoin(Series, Series.id == Event.series_id)
        .outerjoin(Agenda, Agenda.event_id == Event.id)  # at most one agenda per event: no row is counted twice
        .where(*conditions)
        .subquery()
    )


def _item_aggregates(person_id: PersonId) -> list[sa.Subquery]:
    """One row each for the person's action items and their series' deadlines (ids change when minutes are
    re-saved, and the minutes' ``updated_at`` moves on every edit)."""
    actions = (
        sa.select(
            sa.func.count(ActionItem.id),
            sa.func.coalesce(sa.func.sum(ActionItem.id), 0),
            sa.func.max(Minutes.updated_at),
        )
        .select_from(ActionItem)
        .join(Minutes, Minutes.id == ActionItem.minutes_id)
    )
    deadlines = (
        sa.select(
            sa.func.count(Deadline.id), sa.func.coalesce(sa.func.sum(Deadline.id), 0), sa.func.max(Minutes.updated_at)
        )
        .select_from(Deadline)
        .join(Minutes, Minutes.id == Deadline.minutes_id)
        .join(Event, Event.id == Minutes.event_id)
    )
    return [
        actions.where(*action_item_filter(person_id)).subquery(),
        deadlines.where(*deadline_filter(person_id)).subquery(),
    ]


@cache
def _event_state_query() -> sa.Select:
    agenda_changed = sa.select(sa.func.max(Agenda.updated_at)).where(Agenda.event_id == Event.id).scalar_subquery()
    where = FeedVersion.feed_key == sa.bindparam("key", type_=sa.String)
    stored = [
        sa.select(column).where(where).correlate(None).scalar_subquery()
        for column in (FeedVersion.etag, FeedVersion.changed_at)
    ]
    return (
        sa.select(Event, agenda_changed, *stored)
        .where(Event.id == sa.bindparam("event_id", type_=sa.Integer))
        .options(joinedload(Event.series))
    )


def personal_feed_state(token: str, now: datetime) -> tuple[FeedToken, FeedState] | None:
    """The token's row and its feed's state in one query, or None for an unknown (or rotated-away) token and
    for the token of a deactivated account (which answers 404, like that account's API tokens)."""
    row = db.session.execute(_personal_state_query(), {"token_hash": hash_token(token), "now": now}).first()
    if row is None:
        return None
    feed_token, *values, stored_etag, stored_changed = row
    values += [feed_token.created_at, feed_token.rotated_at]
    return feed_token, _state(f"person:{feed_token.person_id}", values, stored_etag, stored_changed, now)


@cache
def _personal_state_query() -> sa.Select:
    """Built once per process with bound parameters: building and cache-keying this statement costs more
    than running it, and a 304 should cost little more than the query."""
    token_hash = sa.bindparam("token_hash", type_=sa.String)
    now = sa.bindparam("now", type_=UTCDateTime)
    # Uncorrelated: the database evaluates it once; every aggregate below is about this person.
    person_id = (
        sa.select(FeedToken.person_id).where(FeedToken.token_hash == token_hash).correlate(None).scalar_subquery()
    )
    events = _event_aggregates(personal_event_filter(person_id, now))
    actions, deadlines = _item_aggregates(person_id)
    person_changed = sa.select(Person.updated_at).where(Person.id == person_id).scalar_subquery()
    role_changed = sa.select(sa.func.max(User.updated_at)).where(User.person_id == person_id).scalar_subquery()
    markers = [m for source in PERSONAL_EVENT_SOURCES for m in source.markers(person_id)]
    columns = [*events.c, *actions.c, *deadlines.c, person_changed, role_changed, *markers]
    return (
        sa.select(FeedToken, *columns, *_stored_version_for_token())
        .select_from(FeedToken)
        .join(events, sa.true())
        .join(actions, sa.true())
        .join(deadlines, sa.true())
        .where(FeedToken.token_hash == token_hash, ~_deactivated_account(FeedToken.person_id))
        .options(joinedload(FeedToken.person))
    )


def _deactivated_account(person_id: sa.ColumnElement[int]) -> sa.Exists:
    """The person has an account and it is deactivated (a person without an account keeps their feed)."""
    return sa.exists().where(User.person_id == person_id, User.active.is_(False))


def _stored_version_for_token() -> list[sa.ScalarSelect]:
    """The stored version of the feed behind ``token_hash``; its key is ``person:<id>``."""
    key = sa.literal("person:") + sa.cast(FeedToken.person_id, sa.String)
    where = FeedVersion.feed_key == key
    return [
        sa.select(FeedVersion.etag).where(where).correlate(FeedToken).scalar_subquery(),
        sa.select(FeedVersion.changed_at).where(where).correlate(FeedToken).scalar_subquery(),
    ]


def series_feed_state(slug: str, now: datetime) -> tuple[Series, FeedState] | None:
    """A public series and its feed's state in one query; None when there is no such public series."""
    row = db.session.execute(_series_state_query(), {"slug": slug, "now": now}).first()
    if row is None:
        return None
    series, *values, stored_etag, stored_changed = row
    values.append(series.updated_at)
    return series, _state(f"series:{series.id}", values, stored_etag, stored_changed, now)


@cache
def _series_state_query() -> sa.Select:
    slug = sa.bindparam("slug", type_=sa.String)
    series_id = sa.select(Series.id).where(Series.slug == slug).correlate(None).scalar_subquery()
    events = _event_aggregates(series_event_filter(series_id, sa.bindparam("now", type_=UTCDateTime)))
    return (
        sa.select(Series, *events.c, *_stored_version_for_series())
        .select_from(Series)
        .join(events, sa.true())
        .where(Series.slug == slug, Series.visibility == Visibility.PUBLIC)
    )


def _stored_version_for_series() -> list[sa.ScalarSelect]:
    where = FeedVersion.feed_key == sa.literal("series:") + sa.cast(Series.id, sa.String)
    return [
        sa.select(FeedVersion.etag).where(where).correlate(Series).scalar_subquery(),
        sa.select(FeedVersion.changed_at).where(where).correlate(Series).scalar_subquery(),
    ]


def event_feed_state(event_id: int, now: datetime) -> tuple[Event, FeedState] | None:
    """The event (with its series) and its feed's state in one query; the caller checks who may see it."""
    row = db.session.execute(_event_state_query(), {"event_id": event_id, "key": f"event:{event_id}"}).first()
    if row is None:
        return None
    event, agenda_at, stored_etag, stored_changed = row
    series_at = event.series.updated_at if event.series is not None else None
    is_shown = not event.is_cancelled or event.ends_at > now
    values = [event.id, event.updated_at, event.sequence, event.visibility, series_at, agenda_at, is_shown]
    return event, _state(f"event:{event.id}", values, stored_etag, stored_changed, now)


def _state(
    key: str, values: Sequence[Any], stored_etag: str | None, stored_changed: datetime | None, now: datetime
) -> FeedState:
    """Hash the aggregates into an ETag; Last-Modified is when this ETag was first seen (recorded if new)."""
    etag = hashlib.sha256(repr([_plain(value) for value in values]).encode()).hexdigest()[:32]
    if etag == stored_etag and stored_changed is not None:
        return FeedState(key, etag, stored_changed)
    return FeedState(key, etag, record_feed_version(key, etag, stored_changed, now), is_new_version=True)


def _plain(value: Any) -> Any:
    """Datetimes as UTC ISO strings, so SQLite's naive and PostgreSQL's aware values hash alike."""
    if isinstance(value, datetime):
        return (
            value.replace(tzinfo=None).isoformat()
            if value.tzinfo is None
            else value.astimezone(timezone.utc).isoformat()
        )
    return value.value if hasattr(value, "value") else value


def record_feed_version(key: str, etag: str, previous: datetime | None, now: datetime) -> datetime:
    """Store ``etag`` as the feed's current version and return its Last-Modified.

    Whole seconds (HTTP dates have no fractions), and always later than the previous version's, so a client
    holding the old date never gets a 304 for the new content. An upsert, as two pollers may race here.
    """
    changed = now.replace(microsecond=0)
    if previous is not None and changed <= previous:
        changed = previous + timedelta(seconds=1)
    table = FeedVersion.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(feed_key=key, etag=etag, changed_at=changed)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.feed_key], set_={"etag": etag, "changed_at": changed}
    )
    db.session.execute(statement)
    return changed
