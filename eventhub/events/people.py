"""Organisations and people, and how agendas and minutes name a person: an email, ``{email, name, organisation}``,
or (for owners) free text.

People are the lowest layer: every area names them, and they know nothing of accounts, registrations or minutes.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventhub.errors import ValidationFailed
from eventhub.events.models import Organisation, OrganisationKind, Person
from eventhub.extensions import db
from eventhub.validation import (
    looks_like_email,
    normalize_email,
    optional_text,
    required_text,
    validate_language,
    validate_timezone,
)


def get_or_create_organisation(name: str, country: str | None = None, kind: OrganisationKind | None = None) -> Organisation:
    """The organisation with this name; created (with ``country``/``kind``) if new, filled in if they were missing."""
    name = required_text(name, "organisation", 200)
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if organisation is None:
        organisation = Organisation(name=name, country=country, kind=kind or OrganisationKind.OTHER)
        db.session.add(organisation)
        db.session.flush()
    else:
        organisation.country = organisation.country or country
        if kind and organisation.kind == OrganisationKind.OTHER:
            organisation.kind = kind
    return organisation


def _organisation_of(organisation: str | Organisation | None) -> Organisation | None:
    """A name becomes its organisation; a blank name means none (never an empty-named organisation)."""
    if isinstance(organisation, str):
        return get_or_create_organisation(organisation) if organisation.strip() else None
    return organisation


def get_or_create_person(
    email: str,
    name: str | None = None,
    organisation: str | Organisation | None = None,
    language: str | None = None,
    timezone_name: str | None = None,
) -> Person:
    """The person with this address (case-insensitive), created if new.

    An existing person keeps their data; only what was missing (organisation) is filled in, so importing a
    list twice never overwrites what a person told us about themselves.
    """
    normalized = normalize_email(email)
    if language is not None:
        language = validate_language(language)
    if timezone_name is not None:
        validate_timezone(timezone_name)
    org = _organisation_of(organisation)
    person = db.session.scalar(sa.select(Person).where(Person.email == normalized))
    if person is None:
        display = optional_text(name, "name", 200) or normalized.split("@")[0]
        person = Person(email=normalized, name=display, organisation=org, language=language or "en")
        if timezone_name:
            person.timezone = timezone_name
        db.session.add(person)
        db.session.flush()
    elif person.organisation is None and isinstance(org, Organisation):
        person.organisation = org
    return person


MAX_OWNER_TEXT = 300


def person_reference(value: Any, field_name: str) -> Person:
    """The person ``value`` names (created if new): an email string or an object with ``email`` (and optionally
    ``name``/``organisation``, used only when the person is new). Raises ValidationFailed on ``field_name``."""
    if isinstance(value, str):
        value = {"email": value}
    if not isinstance(value, dict) or not isinstance(value.get("email"), str):
        raise ValidationFailed(f"{field_name}: name a person.", {field_name: "an email or {email, name, organisation}"})
    unknown = set(value) - {"email", "name", "organisation"}
    if unknown:
        raise ValidationFailed(f"{field_name}: unknown fields.", {field_name: "only email, name and organisation"})
    for key in ("name", "organisation"):
        if value.get(key) is not None and (not isinstance(value[key], str) or len(value[key]) > 200):
            raise ValidationFailed(f"{field_name}.{key} is not valid.", {field_name: f"{key}: text of at most 200 characters"})
    try:
        return get_or_create_person(value["email"], value.get("name"), value.get("organisation"))
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, {field_name: next(iter(exc.fields.values()), exc.message)}) from None


def owner_reference(value: Any, field_name: str) -> tuple[Person | None, str | None]:
    """An owner: a person (an email or an object) or free text such as "Per Bach og Anne Rahbek"; None for nobody."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, str) and not looks_like_email(value):
        text = value.strip()
        if len(text) > MAX_OWNER_TEXT:
            raise ValidationFailed(f"{field_name} is too long.", {field_name: f"at most {MAX_OWNER_TEXT} characters"})
        return None, text
    return person_reference(value.strip() if isinstance(value, str) else value, field_name), None


def owner_value(person: Person | None, text: str | None) -> str | None:
    """The owner as the API gives it back: the person's email, else the free text; PUT accepts it again."""
    return person.email if person is not None else text
