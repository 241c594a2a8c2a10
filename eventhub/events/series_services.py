"""The rules for series and their memberships (events: ``eventhub.events.services``, which re-exports these
names so callers keep importing them from there).

Like every service: plain values in, validated, the session changed and flushed, never committed; errors are
``DomainError``s whose ``fields`` say which input is wrong.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.db import utcnow
from eventhub.errors import Conflict, NotFound, ValidationFailed
from eventhub.events.models import MembershipRole, Person, Series, SeriesMembership, Visibility
from eventhub.events.people import get_or_create_person
from eventhub.events.reminder_offsets import clean_reminder_offsets
from eventhub.events.retention_days import clean_retention_days
from eventhub.extensions import db
from eventhub.texts import LazyText
from eventhub.texts import lazy_text as _l
from eventhub.validation import (
    SLUG_PATTERN,
    description_text,
    enum_value,
    optional_text,
    required_text,
    validate_language,
    validate_slug,
)

NOT_SAVED = _l("The series was not saved.")


def get_series(slug: str) -> Series:
    """The series with this slug; raises NotFound, also for a string that cannot be a slug (it would reach
    the database otherwise, which refuses a NUL in it with an error instead of finding nothing)."""
    if not isinstance(slug, str) or len(slug) > 80 or not SLUG_PATTERN.match(slug):
        raise NotFound(_l("No series %(slug)s.", slug=repr(slug)))
    series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
    if series is None:
        raise NotFound(_l("No series %(slug)s.", slug=repr(slug)))
    return series


def create_series(
    slug: str,
    title: str,
    description: str | None = "",
    visibility: str | Visibility = "public",
    *,
    actor: Any = None,
    now: datetime | None = None,
    **settings: Any,
) -> Series:
    """A new series. ``settings`` are the other ``SERIES_FIELDS`` (``organiser_name``, ``reminder_offsets``,
    ``language``, ``retention_days``, ``retention_keeps_organisations``); every field is checked before anything
    is added, and every problem is reported at once.
    ``actor`` (the account creating it, if any: anything with a ``person_id``) becomes its organiser, so an
    organiser goes on managing the series they made; the audit log records the new series and its settings.
    Raises ValidationFailed, or Conflict when the slug is taken."""
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
        raise ValidationFailed(NOT_SAVED, errors)
    if db.session.scalar(sa.select(Series.id).where(Series.slug == slug)) is not None:
        raise Conflict(
            _l("A series with slug %(slug)s exists already.", slug=repr(slug)), {"slug": _l("already taken")}
        )
    series = Series(slug=slug, **cleaned)
    db.session.add(series)
    if actor is not None:
        db.session.add(SeriesMembership(series=series, person_id=actor.person_id, role=MembershipRole.ORGANISER))
    db.session.flush()
    settings_now = audit.snapshot(series, ("slug", *SERIES_FIELDS))
    audit.record(
        AuditAction.SERIES_CREATED, actor=actor, now=now or utcnow(), series=series, subject=series.title,
        fields=audit.changes({}, {name: value for name, value in settings_now.items() if value not in (None, "")}),
    )  # fmt: skip
    return series


# What may change once a series exists (the slug is part of every link, so it stays).
SERIES_FIELDS = (
    "title",
    "description",
    "visibility",
    "organiser_name",
    "reminder_offsets",
    "language",
    "retention_days",
    "retention_keeps_organisations",
)
_SERIES_CHECKS = {
    "title": lambda value: required_text(value, "title", 200),
    "description": lambda value: description_text(value),
    "visibility": lambda value: enum_value(Visibility, value, "visibility"),
    "organiser_name": lambda value: optional_text(value, "organiser_name", 200),
    "reminder_offsets": clean_reminder_offsets,
    "language": lambda value: optional_language(value),
    "retention_days": clean_retention_days,
    "retention_keeps_organisations": lambda value: _flag(value, "retention_keeps_organisations"),
}


def update_series(series: Series, changes: dict[str, Any], *, actor: Any = None, now: datetime | None = None) -> Series:
    """Change some of ``SERIES_FIELDS``: ``reminder_offsets`` None means the default (7 days and 1 day), [] none;
    ``language`` None means the site's default; ``retention_days`` None means ``RETENTION_DAYS``. The fields that
    really changed go into the audit log for ``actor``.

    Every field is checked before any is set, and all problems are reported at once: nothing is half-saved.
    """
    cleaned = _clean_series_fields(changes)
    before = audit.snapshot(series, tuple(cleaned))
    for name, value in cleaned.items():
        setattr(series, name, value)
    db.session.flush()
    changed = audit.changes(before, audit.snapshot(series, tuple(cleaned)))
    if changed:
        audit.record(
            AuditAction.SERIES_UPDATED, actor=actor, now=now or utcnow(), series=series, subject=series.title,
            fields=changed,
        )  # fmt: skip
    return series


def _clean_series_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(SERIES_FIELDS)
    if unknown:
        raise ValidationFailed(
            _l("These fields cannot be changed."), dict.fromkeys(sorted(unknown), _l("cannot be changed"))
        )
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in fields.items():
        try:
            cleaned[name] = _SERIES_CHECKS[name](value)
        except ValidationFailed as exc:
            errors.update(exc.fields or {name: exc.message})
    if errors:
        raise ValidationFailed(NOT_SAVED, errors)
    return cleaned


def _flag(value: Any, field_name: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(f"{field_name} must be true or false.", {field_name: "true or false"})
    return value


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
                sentence, problem = _already_in_role(membership.role, person.email)
                raise Conflict(sentence, {"email": problem})
            membership.role = role
        return membership, False
    membership = SeriesMembership(series=series, person=person, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership, True


def _already_in_role(role: MembershipRole, email: str) -> tuple[LazyText, LazyText]:
    """Why a person cannot take a second role in a series: the sentence, and what the email field says."""
    if role == MembershipRole.SECRETARY:
        return _l("%(email)s is already secretary of this series.", email=email), _l("already secretary of this series")
    return _l("%(email)s is already organiser of this series.", email=email), _l("already organiser of this series")


def remove_series_member(series: Series, person: Person) -> None:
    membership = db.session.scalar(
        sa.select(SeriesMembership).where(
            SeriesMembership.series_id == series.id, SeriesMembership.person_id == person.id
        )
    )
    if membership is None:
        raise NotFound(_l("%(email)s is not a member of %(series)s.", email=person.email, series=series.slug))
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
