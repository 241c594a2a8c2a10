"""The rules for events (series and memberships: ``eventhub.events.series_services``, re-exported here;
organisations and people: ``eventhub.events.people``; read-only lists: ``eventhub.events.queries``).

Every function takes plain values (and ``actor``/``now`` where it matters), validates them, changes the
session and flushes; it never commits and never touches the request. Errors are ``DomainError``s whose
``fields`` say which input is wrong, so the API and the forms can show them next to the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.db import built_once, utcnow
from eventhub.errors import Conflict, NotFound, ValidationFailed
from eventhub.events.models import (
    Event,
    EventKind,
    EventStatus,
    Series,
    Visibility,
)
from eventhub.events.people import get_or_create_person
from eventhub.events.reminder_offsets import clean_reminder_offsets
from eventhub.events.retention_days import clean_retention_days
from eventhub.events.series_services import (
    SERIES_FIELDS,
    add_series_member,
    create_series,
    get_series,
    members_of,
    optional_language,
    remove_series_member,
    update_series,
)
from eventhub.events.signals import event_cancelled, event_changed
from eventhub.extensions import db
from eventhub.texts import lazy_text as _l
from eventhub.validation import (
    UNKNOWN_FIELD,
    description_text,
    enum_value,
    http_url,
    optional_text,
    parse_instant,
    positive_int,
    required_text,
    validate_timezone,
)

# The series functions (and get_or_create_person) keep their old address: callers import them from here.
__all__ = [
    "SERIES_FIELDS",
    "add_series_member",
    "create_series",
    "get_or_create_person",
    "get_series",
    "members_of",
    "optional_language",
    "remove_series_member",
    "update_series",
]

# Fields whose change a calendar client must see: they raise the event's SEQUENCE (RFC 5545, 3.8.7.4).
SEQUENCED_FIELDS = ("starts_at", "ends_at", "timezone", "location", "online_url", "status")
# A change of these is a move (its own audit entry, "event moved"); the others are "event updated".
MOVED_FIELDS = ("starts_at", "ends_at")
# What the audit log keeps of a new event (the description is left out: long, and on the event page anyway).
AUDITED_ON_CREATION = (
    "title", "kind", "series", "number", "starts_at", "ends_at", "timezone", "location", "online_url", "capacity",
    "registration_closes_at", "visibility", "invitation_only", "language",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------------------


@dataclass
class EventInput:
    """What a caller may set on an event; strings are parsed and checked by ``create_event``/``update_event``."""

    title: Any = None
    kind: Any = EventKind.MEETING.value
    starts_at: Any = None
    ends_at: Any = None
    timezone: Any = None
    series: Any = None  # slug
    number: Any = None
    description: Any = ""
    location: Any = None
    online_url: Any = None
    country: Any = None
    capacity: Any = None
    registration_closes_at: Any = None
    visibility: Any = None
    invitation_only: Any = False
    reminder_offsets: Any = None  # minutes before the start; None inherits the series' (then the default)
    language: Any = None  # None inherits the series' (then the site's default)
    retention_days: Any = None  # days after the end; None inherits the series' (then RETENTION_DAYS)
    extra: dict[str, Any] = field(default_factory=dict)


def create_event(data: EventInput, now: datetime | None = None, actor: Any = None) -> Event:
    """Create an event after checking every field; raises ValidationFailed listing all bad fields at once.

    ``actor`` (the account creating it, if any: anything with an ``id``) is kept as its creator: an event without
    a series is managed by its creator (and admins)."""
    values = _clean_event_fields(data, set(EventInput.__dataclass_fields__) - {"extra"}, current=None)
    series = values.pop("series", None)
    if series is not None and values.get("number") is None:
        values["number"] = _next_number(series)
    if values.get("visibility") is None:
        values["visibility"] = series.visibility if series else Visibility.PUBLIC
    event = Event(**values, series_id=series.id if series else None, created_by_id=actor.id if actor else None)
    _check_event_invariants(event)
    db.session.add(event)
    db.session.flush()
    created = {name: (None, _audited(getattr(event, name))) for name in AUDITED_ON_CREATION}
    audit.record(
        AuditAction.EVENT_CREATED, actor=actor, now=now or utcnow(), event=event, subject=event.title,
        fields={name: change for name, change in created.items() if change[1] not in (None, "")},
    )  # fmt: skip
    return event


def update_event(event: Event, changes: dict[str, Any], now: datetime | None = None, actor: Any = None) -> Event:
    """Apply ``changes`` (a partial set of EventInput fields); a change of time, place or status bumps SEQUENCE.

    Sends ``event_changed`` with ``{field: (old, new)}`` for the fields that really changed, so registration
    and reminders react in this transaction (see ``eventhub.events.signals``), and records them in the audit
    log for ``actor``: a new start or end as "event moved", the rest as "event updated".
    """
    now = now or utcnow()
    unknown = set(changes) - (set(EventInput.__dataclass_fields__) - {"extra"})
    if unknown:
        raise ValidationFailed(_l("Unknown fields."), {name: UNKNOWN_FIELD for name in sorted(unknown)})
    if event.is_cancelled:
        raise Conflict(_l("A cancelled event cannot be changed."))
    values = _clean_event_fields(EventInput(**changes), set(changes), current=event)
    before = {name: getattr(event, name) for name in values}
    for name, value in values.items():
        setattr(event, name, value)
    _check_event_invariants(event)
    changed = {name: (before[name], getattr(event, name)) for name in values if getattr(event, name) != before[name]}
    if any(name in changed for name in SEQUENCED_FIELDS):
        event.sequence += 1
    event.updated_at = now
    db.session.flush()
    if changed:
        _audit_changes(event, changed, actor, now)
        event_changed.send(event, changes=changed, now=now)
    return event


def _audit_changes(event: Event, changed: dict[str, tuple[Any, Any]], actor: Any, now: datetime) -> None:
    """An "event moved" entry for a new start or end, an "event updated" entry for the other fields."""
    audited = {name: (_audited(before), _audited(after)) for name, (before, after) in changed.items()}
    moved = {name: change for name, change in audited.items() if name in MOVED_FIELDS}
    updated = {name: change for name, change in audited.items() if name not in MOVED_FIELDS}
    for action, fields in ((AuditAction.EVENT_MOVED, moved), (AuditAction.EVENT_UPDATED, updated)):
        if fields:
            audit.record(action, actor=actor, now=now, event=event, subject=event.title, fields=fields)


def _audited(value: Any) -> Any:
    """A value as the audit log keeps it: a series by its slug (the rest ``audit.record`` turns into JSON)."""
    return value.slug if isinstance(value, Series) else value


def cancel_event(event: Event, now: datetime | None = None, actor: Any = None) -> Event:
    """Mark the event cancelled (it stays, so calendars can show it as cancelled), record it in the audit log for
    ``actor`` and send ``event_cancelled``.

    Cancelling twice is a no-op.
    """
    if event.is_cancelled:
        return event
    status_before = event.status
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now or utcnow()
    event.sequence += 1
    db.session.flush()
    audit.record(
        AuditAction.EVENT_CANCELLED, actor=actor, now=event.cancelled_at, event=event, subject=event.title,
        fields={"status": (status_before, event.status)},
    )  # fmt: skip
    event_cancelled.send(event, now=event.cancelled_at)
    return event


def get_event(event_id: int, options: tuple[Any, ...] = ()) -> Event:
    """The event; ``options`` are loader options (eager loads) for what the caller will read. Raises NotFound."""
    event = db.session.get(Event, event_id, options=options)
    if event is None:
        raise NotFound(_l("No event %(id)s.", id=event_id))
    return event


def get_event_with_series(event_id: int) -> Event:
    """``get_event`` with the event's series read in the same statement, built once (``built_once``): the event
    page's first read. Raises NotFound."""
    event = db.session.scalars(_event_with_series_query(), {"event_id": event_id}).one_or_none()
    if event is None:
        raise NotFound(_l("No event %(id)s.", id=event_id))
    return event


@built_once
def _event_with_series_query() -> sa.Select:
    return sa.select(Event).where(Event.id == sa.bindparam("event_id")).options(joinedload(Event.series))


def _clean_event_fields(data: EventInput, names: set[str], current: Event | None) -> dict[str, Any]:
    """Parse the named fields of ``data``, collecting every field error before raising."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def attempt(name: str, parse) -> None:
        if name not in names:
            return
        try:
            values[name] = parse(getattr(data, name))
        except ValidationFailed as exc:
            errors.update(exc.fields or {name: exc.message})

    attempt("timezone", lambda v: validate_timezone(v))
    zone = values.get("timezone") or (current.timezone if current else None)
    attempt("title", lambda v: required_text(v, "title", 200))
    attempt("kind", lambda v: enum_value(EventKind, v or EventKind.MEETING.value, "kind"))
    if zone:
        attempt("starts_at", lambda v: parse_instant(v, zone, "starts_at"))
        attempt("ends_at", lambda v: parse_instant(v, zone, "ends_at"))
        attempt(
            "registration_closes_at",
            lambda v: None if v in (None, "") else parse_instant(v, zone, "registration_closes_at"),
        )
    attempt("series", lambda v: None if v in (None, "") else _series_by_slug(v))
    attempt("number", lambda v: positive_int(v, "number"))
    attempt("description", lambda v: description_text(v))
    attempt("location", lambda v: optional_text(v, "location", 300))
    attempt("online_url", lambda v: http_url(v, "online_url"))
    attempt("country", lambda v: _country(v))
    attempt("capacity", lambda v: positive_int(v, "capacity"))
    attempt("visibility", lambda v: None if v in (None, "") else enum_value(Visibility, v, "visibility"))
    attempt("invitation_only", lambda v: _boolean(v, "invitation_only"))
    attempt("reminder_offsets", clean_reminder_offsets)
    attempt("language", optional_language)
    attempt("retention_days", clean_retention_days)
    if errors:
        raise ValidationFailed(_l("Some fields are not valid."), errors)
    if current is not None and "visibility" in values and values["visibility"] is None:
        del values["visibility"]
    return values


def _series_by_slug(slug: Any) -> Series:
    if not isinstance(slug, str):
        raise ValidationFailed(_l("series must be a slug."), {"series": _l("a series slug")})
    series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
    if series is None:
        raise ValidationFailed(_l("No series %(slug)s.", slug=repr(slug)), {"series": _l("no such series")})
    return series


def _country(value: Any) -> str | None:
    text = optional_text(value, "country", 2)
    if text is not None and not re.match(r"^[A-Za-z]{2}$", text):
        raise ValidationFailed(
            _l("country must be a two-letter ISO code."), {"country": _l("ISO 3166 alpha-2, e.g. DK")}
        )
    return text.upper() if text else None


def _boolean(value: Any, field_name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    raise ValidationFailed(_l("%(field)s must be true or false.", field=field_name), {field_name: _l("true or false")})


def _check_event_invariants(event: Event) -> None:
    errors = {}
    if event.starts_at is None:
        errors["starts_at"] = _l("required")
    if event.ends_at is None:
        errors["ends_at"] = _l("required")
    if not errors and event.ends_at <= event.starts_at:
        errors["ends_at"] = _l("must be after starts_at")
    if event.registration_closes_at and event.starts_at and event.registration_closes_at > event.ends_at:
        errors["registration_closes_at"] = _l("must not be after the event ends")
    if errors:
        raise ValidationFailed(_l("Some fields are not valid."), errors)
    series_id = event.series.id if event.series is not None else event.series_id
    if series_id is not None and event.number is not None:
        with db.session.no_autoflush:
            clash = db.session.scalar(
                sa.select(Event.id).where(
                    Event.series_id == series_id, Event.number == event.number, Event.id != (event.id or 0)
                )
            )
        if clash is not None:
            raise Conflict(
                _l("The series already has an event number %(number)d.", number=event.number),
                {"number": _l("already used in this series")},
            )


def _next_number(series: Series) -> int:
    highest = db.session.scalar(sa.select(sa.func.max(Event.number)).where(Event.series_id == series.id))
    return (highest or 0) + 1
