"""A calendar feed's *state* (its stored body, strong ETag and Last-Modified), and which rows each feed shows.

The state is ONE row of ``feed_versions``, read with the series, event or feed token in one indexed statement
whatever the number of events: its change counter is raised in the transaction of every change that affects the
feed (``eventhub.calendar.invalidation``), so a stored body built at the current counter is the feed. A poll is
then a 304, or the stored bytes (plain or gzip); only a changed feed is rebuilt, from stored components.

Rules shared by all feeds: a members-only event never appears in a public feed; a cancelled event stays (with
STATUS:CANCELLED and its higher SEQUENCE, so subscribed clients remove it) until it has ended, then drops out.
The filters here are what ``eventhub.calendar.services`` builds the feeds from, so state and text cannot disagree.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.accounts.models import User
from eventhub.accounts.permissions import events_visible_to_person_clause
from eventhub.calendar.invalidation import HANDLED
from eventhub.calendar.models import FeedToken, FeedVersion
from eventhub.db import insert_or_update
from eventhub.events.models import Event, EventStatus, Series, SeriesMembership, Visibility
from eventhub.extensions import db
from eventhub.minutes.models import ActionItem, Minutes
from eventhub.registration.models import Invitation, InvitationStatus, Registration, RegistrationStatus
from eventhub.tokens import hash_token

PersonId = sa.ColumnElement[int] | int


@dataclass(frozen=True)
class FeedState:
    """A feed's stored validators: ``etag`` (the bare hash of the stored body; the view quotes it) and
    ``last_modified`` (whole seconds), or None before its first build; its change counter ``version`` and the
    ``built_version`` the stored body was built at."""

    key: str
    etag: str | None
    last_modified: datetime | None
    version: int = 0
    built_version: int | None = None
    expires_at: datetime | None = None

    @classmethod
    def of(cls, key: str, stored: Sequence[Any]) -> FeedState:
        version, built_version, etag, changed_at, expires_at = stored
        return cls(key, etag, changed_at, version or 0, built_version, expires_at)

    def is_current(self, now: datetime) -> bool:
        """The stored body may be served: built at the current version, and no shown cancelled event has ended."""
        return (
            self.etag is not None
            and self.built_version == self.version
            and (self.expires_at is None or now < self.expires_at)
        )


# ---------------------------------------------------------------------------------------------------------
# Which events a person's feed shows
# ---------------------------------------------------------------------------------------------------------


class EventSource(NamedTuple):
    """One reason an event is in a person's feed: ``event_ids(person_id)`` is a SELECT of event ids
    (``person_id`` may be a SQL expression)."""

    name: str
    event_ids: Callable[[PersonId], sa.Select]


def _registered_event_ids(person_id: PersonId) -> sa.Select:
    active = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    return sa.select(Registration.event_id).where(Registration.person_id == person_id, Registration.status.in_(active))


def _member_series_event_ids(person_id: PersonId) -> sa.Select:
    return (
        sa.select(Event.id)
        .join(SeriesMembership, SeriesMembership.series_id == Event.series_id)
        .where(SeriesMembership.person_id == person_id)
    )


def _invited_event_ids(person_id: PersonId) -> sa.Select:
    """Events the person holds an unanswered invitation to (answered ones are registrations or declines)."""
    return sa.select(Invitation.event_id).where(
        Invitation.person_id == person_id, Invitation.status == InvitationStatus.PENDING
    )


PERSONAL_EVENT_SOURCES: tuple[EventSource, ...] = (
    EventSource("registrations", _registered_event_ids),
    EventSource("memberships", _member_series_event_ids),
    EventSource("invitations", _invited_event_ids),
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
# Validators and stored bodies: one indexed statement per poll
# ---------------------------------------------------------------------------------------------------------


def personal_feed_state(token: str) -> tuple[FeedToken, FeedState] | None:
    """The token's row (with its person) and its feed's state in one statement, or None for an unknown (or
    rotated-away) token and for the token of a deactivated account (which answers 404, like its API tokens)."""
    return _lookup(_personal_state_query(), {"token_hash": hash_token(token)}, "person", lambda t: t.person_id)


def series_feed_state(slug: str) -> tuple[Series, FeedState] | None:
    """A public series and its feed's state in one statement; None when there is no such public series."""
    return _lookup(_series_state_query(), {"slug": slug}, "series", lambda series: series.id)


def event_feed_state(event_id: int) -> tuple[Event, FeedState] | None:
    """The event (with its series) and its feed's state in one statement; the caller checks who may see it."""
    return _lookup(_event_state_query(), {"event_id": event_id}, "event", lambda event: event.id)


def _lookup(query: sa.Select, params: dict[str, Any], kind: str, id_of: Callable[[Any], int]) -> Any:
    row = db.session.execute(query, params).first()
    if row is None:
        return None
    owner, *stored = row
    return owner, FeedState.of(f"{kind}:{id_of(owner)}", stored)


def _with_stored(entity: Any, kind: str, owner_id: sa.ColumnElement[int]) -> sa.Select:
    """``entity`` and its feed's stored state: the row keyed ``<kind>:<id>`` (its unique index), if any."""
    key = sa.literal(f"{kind}:") + sa.cast(owner_id, sa.String)
    return sa.select(entity, *_STORED).outerjoin(FeedVersion, FeedVersion.feed_key == key)


# Built once per process with bound parameters: building and cache-keying a statement costs more than running
# it, and a 304 should cost little more than the lookup.


@cache
def _personal_state_query() -> sa.Select:
    token_hash = sa.bindparam("token_hash", type_=sa.String)
    return (
        _with_stored(FeedToken, "person", FeedToken.person_id)
        .where(FeedToken.token_hash == token_hash, ~_deactivated(FeedToken.person_id))
        .options(joinedload(FeedToken.person))
    )


def _deactivated(person_id: sa.ColumnElement[int]) -> sa.Exists:
    """The person has an account and it is deactivated (a person without an account keeps their feed)."""
    return sa.exists().where(User.person_id == person_id, User.active.is_(False))


@cache
def _series_state_query() -> sa.Select:
    slug = sa.bindparam("slug", type_=sa.String)
    return _with_stored(Series, "series", Series.id).where(Series.slug == slug, Series.visibility == Visibility.PUBLIC)


@cache
def _event_state_query() -> sa.Select:
    event_id = sa.bindparam("event_id", type_=sa.Integer)
    return _with_stored(Event, "event", Event.id).where(Event.id == event_id).options(joinedload(Event.series))


def stored_body(state: FeedState, gzipped: bool) -> bytes | None:
    """The stored body (its gzip when ``gzipped``) of the version ``state`` names; None if another poller has
    just replaced it. Read through ``_COPIES``: a copy of stored bytes keyed by their ETag, which this process
    keeps only because the database said, in this request's statement, that the ETag is current."""
    copy_key = (state.key, state.etag, gzipped)
    body = _COPIES.get(copy_key)
    if body is None:
        column = FeedVersion.body_gzip if gzipped else FeedVersion.body
        body = db.session.scalar(
            sa.select(column).where(FeedVersion.feed_key == state.key, FeedVersion.etag == state.etag)
        )
        if body is not None:
            _COPIES.put(copy_key, body)
    return body


class _Copies:
    """Bodies most recently served by this process, up to ``budget`` bytes (least recently used dropped).

    Not a cache of feeds (that is ``feed_versions``, shared by every process): copies of its bytes, found by
    the ETag the one-row state statement has just confirmed, so a copy of an outdated body is never served.
    Saves reading a megabyte from the database for every full poll of a large unchanged feed."""

    def __init__(self, budget: int) -> None:
        self.budget, self.size, self.bodies = budget, 0, OrderedDict[tuple, bytes]()

    def get(self, key: tuple) -> bytes | None:
        body = self.bodies.get(key)
        if body is not None:
            self.bodies.move_to_end(key)
        return body

    def put(self, key: tuple, body: bytes) -> None:
        if key in self.bodies or len(body) > self.budget:
            return
        self.bodies[key] = body
        self.size += len(body)
        while self.size > self.budget:
            self.size -= len(self.bodies.popitem(last=False)[1])


_COPIES = _Copies(budget=64 * 1024 * 1024)


def store_feed(state: FeedState, body: bytes, expires_at: datetime | None, now: datetime) -> tuple[FeedState, bytes]:
    """Keep a freshly built ``body`` (and its gzip) as the feed's version ``state.version``; returns the new state
    and the gzip. The ETag is the body's hash, so equal bytes keep their Last-Modified; a new body gets a later
    one (whole seconds, and always later than the previous, so a client holding the old date never gets a 304
    for the new content). An upsert: two pollers may race here; the caller commits."""
    etag = hashlib.sha256(body).hexdigest()[:32]
    changed = state.last_modified
    if etag != state.etag or changed is None:
        changed = now.replace(microsecond=0)
        if state.last_modified is not None and changed <= state.last_modified:
            changed = state.last_modified + timedelta(seconds=1)
    squeezed = gzip.compress(body, compresslevel=6, mtime=0)
    values = {"built_version": state.version, "etag": etag, "changed_at": changed, "expires_at": expires_at}
    row = {"feed_key": state.key, "version": state.version, **values, "body": body, "body_gzip": squeezed}
    update = {name: None for name in row if name not in ("feed_key", "version")}
    statement = insert_or_update(FeedVersion.__table__, db.session, ["feed_key"], update)
    db.session.execute(statement.values(row), execution_options={HANDLED: True})
    return FeedState(state.key, etag, changed, state.version, state.version, expires_at), squeezed


_STORED = (
    FeedVersion.version,
    FeedVersion.built_version,
    FeedVersion.etag,
    FeedVersion.changed_at,
    FeedVersion.expires_at,
)
