"""The rules for series and events (organisations and people: ``eventhub.events.people``; read-only lists:
``eventhub.events.queries``).

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

from eventhub.db import utcnow
from eventhub.errors import Conflict, NotFound, ValidationFailed
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
from eventhub.events.people import get_or_create_person
from eventhub.events.reminder_offsets import clean_reminder_offsets
from eventhub.events.signals import event_cancelled, event_changed
from eventhub.extensions import db
from eventhub.validation import (
    SLUG_PATTERN,
    description_text,
    enum_value,
    http_url,
    optional_text,
    parse_instant,
    positive_int,
    required_text,
    validate_language,
    validate_slug,
    validate_timezone,
)

# Fields whose change a calendar client must see: they raise the event's SEQUENCE (RFC 5545, 3.8.7.4).
SEQUENCED_FIELDS = ("starts_at", "ends_at", "timezone", "location", "online_url", "status")

# ---------------------------------------------------------------------------------------------------------
# Series and membership
# ---------------------------------------------------------------------------------------------------------


def get_series(slug: str) -> Series:
    """The series with this slug; raises NotFound, also for a string that cannot be a slug (it would reach
    the database otherwise, which refuses a NUL in it with an error instead of finding nothing)."""
    if not isinstance(slug, str) or len(slug) > 80 or not SLUG_PATTERN.match(slug):
        raise NotFound(f"No series {slug!r}.")
    series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
    if series is None:
        raise NotFound(f"No series {slug!r}.")
    return series


def create_series(
    slug: str,
    title: str,
    description: str | None = "",
    visibility: str | Visibility = "public",
    *,
    actor: Any = None,
    **settings: Any,
) -> Series:
    """A new series. ``settings`` are the other ``SERIES_FIELDS`` (``organiser_name``, ``reminder_offsets``,
    ``language``); every field is checked before anything is added, and every problem is reported at once.
    ``actor`` (the account creating it, if any: anything with a ``person_id``) becomes its organiser, so an
    organiser goes on managing the series they made. Raises ValidationFailed, or Conflict when the slug is taken."""
    errors: dict[str, str] = {}
    try:
        slug = validate_slug(slug)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    fields = {"title": title, "description": description or "", "visibility": visibility, **settings}
    try:
        cleaned = _clean_series_fields(fields)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed("The series was not saved.", errors)
    if db.session.scalar(sa.select(Series.id).where(Series.slug == slug)) is not None:
        raise Conflict(f"A series with slug {slug!r} exists already.", {"slug": "already taken"})
    series = Series(slug=slug, **cleaned)
    db.session.add(series)
    if actor is not None:
        db.session.add(SeriesMembership(series=series, person_id=actor.person_id, role=MembershipRole.ORGANISER))
    db.session.flush()
    return series


# What may change once a series exists (the slug is part of every link, so it stays).
SERIES_FIELDS = ("title", "description", "visibility", "organiser_name", "reminder_offsets", "language")
_SERIES_CHECKS = {
    "title": lambda value: required_text(value, "title", 200),
    "description": lambda value: description_text(value),
    "visibility": lambda value: enum_value(Visibility, value, "visibility"),
    "organiser_name": lambda value: optional_text(value, "organiser_name", 200),
    "reminder_offsets": clean_reminder_offsets,
    "language": lambda value: optional_language(value),
}


def update_series(series: Series, changes: dict[str, Any]) -> Series:
    """Change some of ``SERIES_FIELDS``: ``reminder_offsets`` None means the default (7 days and 1 day), [] none;
    ``language`` None means the site's default.

    Every field is checked before any is set, and all problems are reported at once: nothing is half-saved.
    """
    cleaned = _clean_series_fields(changes)
    for name, value in cleaned.items():
        setattr(series, name, value)
    db.session.flush()
    return series


def _clean_series_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(SERIES_FIELDS)
    if unknown:
        raise ValidationFailed("These fields cannot be changed.", dict.fromkeys(sorted(unknown), "cannot be changed"))
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in fields.items():
        try:
            cleaned[name] = _SERIES_CHECKS[name](value)
        except ValidationFailed as exc:
            errors.update(exc.fields or {name: exc.message})
    if errors:
        raise ValidationFailed("The series was not saved.", errors)
    return cleaned


def optional_language(value: Any, field_name: str = "language") -> str | None:
    """A language eventhub speaks, or None (empty: inherit) ; raises ValidationFailed naming the choices."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate_language(value, field_name)


def add_series_member(
    series: Series,
    email: str,
    name: str | None = None,
    organisation: str | None = None,
    role: str | MembershipRole = MembershipRole.MEMBER,
    language: str | None = None,
) -> tuple[SeriesMembership, bool]:
    """Add a person (created if new) to ``series``. Returns the membership and whether it is new.

    Adding someone twice is not an error: the existing membership is returned (a plain member's role raised to
    secretary or organiser if asked), so scripts can be re-run. One membership has one role: asking a secretary
    to become organiser (or the other way round) raises Conflict instead of silently taking a right away.
    This is the operator's act (command line, demo loader): a person's request goes through
    ``accounts.memberships``, which checks who may grant which role first.
    """
    role = enum_value(MembershipRole, role, "role")
    person = get_or_create_person(email=email, name=name, organisation=organisation, language=language)
    membership = db.session.scalar(
        sa.select(SeriesMembership).where(
            SeriesMembership.series_id == series.id, SeriesMembership.person_id == person.id
        )
    )
    if membership is not None:
        if role != MembershipRole.MEMBER and membership.role != role:
            if membership.role != MembershipRole.MEMBER:
                raise Conflict(
                    f"{person.email} is already {membership.role.value} of this series.",
                    {"email": f"already {membership.role.value} of this series"},
                )
            membership.role = role
        return membership, False
    membership = SeriesMembership(series=series, person=person, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership, True


def remove_series_member(series: Series, person: Person) -> None:
    membership = db.session.scalar(
        sa.select(SeriesMembership).where(
            SeriesMembership.series_id == series.id, SeriesMembership.person_id == person.id
        )
    )
    if membership is None:
        raise NotFound(f"{person.email} is not a member of {series.slug}.")
    db.session.delete(membership)
    db.session.flush()


def members_of(series: Series, role: MembershipRole | None = None) -> list[SeriesMembership]:
    """The memberships of ``series`` (only those with ``role`` unless it is None), by name."""
    query = (
        sa.select(SeriesMembership)
        .join(SeriesMembership.person)
        .where(SeriesMembership.series_id == series.id)
        .order_by(Person.name, Person.id)
    )
    if role is not None:
        query = query.where(SeriesMembership.role == role)
    return list(db.session.scalars(query))


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
    return event


def update_event(event: Event, changes: dict[str, Any], now: datetime | None = None) -> Event:
    """Apply ``changes`` (a partial set of EventInput fields); a change of time, place or status bumps SEQUENCE.

    Sends ``event_changed`` with ``{field: (old, new)}`` for the fields that really changed, so registration
    and reminders react in this transaction (see ``eventhub.events.signals``).
    """
    now = now or utcnow()
    unknown = set(changes) - (set(EventInput.__dataclass_fields__) - {"extra"})
    if unknown:
        raise ValidationFailed("Unknown fields.", {name: "unknown field" for name in sorted(unknown)})
    if event.is_cancelled:
        raise Conflict("A cancelled event cannot be changed.")
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
        event_changed.send(event, changes=changed, now=now)
    return event


def cancel_event(event: Event, now: datetime | None = None) -> Event:
    """Mark the event cancelled (it stays, so calendars can show it as cancelled) and send ``event_cancelled``.

    Cancelling twice is a no-op.
    """
    if event.is_cancelled:
        return event
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now or utcnow()
    event.sequence += 1
    db.session.flush()
    event_cancelled.send(event, now=event.cancelled_at)
    return event


def get_event(event_id: int, options: tuple[Any, ...] = ()) -> Event:
    """The event; ``options`` are loader options (eager loads) for what the caller will read. Raises NotFound."""
    event = db.session.get(Event, event_id, options=options)
    if event is None:
        raise NotFound(f"No event {event_id}.")
    return event


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
    if errors:
        raise ValidationFailed("Some fields are not valid.", errors)
    if current is not None and "visibility" in values and values["visibility"] is None:
        del values["visibility"]
    return values


def _series_by_slug(slug: Any) -> Series:
    if not isinstance(slug, str):
        raise ValidationFailed("series must be a slug.", {"series": "a series slug"})
    series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
    if series is None:
        raise ValidationFailed(f"No series {slug!r}.", {"series": "no such series"})
    return series


def _country(value: Any) -> str | None:
    text = optional_text(value, "country", 2)
    if text is not None and not re.match(r"^[A-Za-z]{2}$", text):
        raise ValidationFailed("country must be a two-letter ISO code.", {"country": "ISO 3166 alpha-2, e.g. DK"})
    return text.upper() if text else None


def _boolean(value: Any, field_name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    raise ValidationFailed(f"{field_name} must be true or false.", {field_name: "true or false"})


def _check_event_invariants(event: Event) -> None:
    errors = {}
    if event.starts_at is None:
        errors["starts_at"] = "required"
    if event.ends_at is None:
        errors["ends_at"] = "required"
    if not errors and event.ends_at <= event.starts_at:
        errors["ends_at"] = "must be after starts_at"
    if event.registration_closes_at and event.starts_at and event.registration_closes_at > event.ends_at:
        errors["registration_closes_at"] = "must not be after the event ends"
    if errors:
        raise ValidationFailed("Some fields are not valid.", errors)
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
                f"The series already has an event number {event.number}.", {"number": "already used in this series"}
            )


def _next_number(series: Series) -> int:
    highest = db.session.scalar(sa.select(sa.func.max(Event.number)).where(Event.series_id == series.id))
    return (highest or 0) + 1
