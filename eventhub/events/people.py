"""Organisations and people, and how agendas and minutes name a person: an email, ``{email, name, organisation}``,
or (for owners) free text.

People are the lowest layer: every area names them, and they know nothing of accounts, registrations or minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa

from eventhub.db import insert_skipping_duplicates
from eventhub.errors import ValidationFailed
from eventhub.events.models import Organisation, OrganisationKind, Person
from eventhub.extensions import db
from eventhub.i18n import LanguageSource, choose_reader_language
from eventhub.texts import LazyText
from eventhub.texts import lazy_text as _l
from eventhub.validation import (
    clean_fields,
    looks_like_email,
    normalize_email,
    normalize_language,
    optional_text,
    required_text,
    validate_timezone,
)


def get_or_create_organisation(
    name: str, country: str | None = None, kind: OrganisationKind | None = None
) -> Organisation:
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
    list twice never overwrites what a person told us about themselves. ``language`` is any language code
    (``normalize_language``): one eventhub does not speak is kept, and its reader falls back by the rule; none
    given is stored as None (not "en"), so a new person reads the event's language until they choose one.
    """
    normalized = normalize_email(email)
    language = normalize_language(language) if language and language.strip() else None
    if timezone_name is not None:
        validate_timezone(timezone_name)
    org = _organisation_of(organisation)
    person = db.session.scalar(sa.select(Person).where(Person.email == normalized))
    if person is None:
        display = optional_text(name, "name", 200) or normalized.split("@")[0]
        person = Person(email=normalized, name=display, organisation=org, language=language)
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
        raise ValidationFailed(
            _l("%(field)s: name a person.", field=field_name),
            {field_name: _l("an email or {email, name, organisation}")},
        )
    unknown = set(value) - {"email", "name", "organisation"}
    if unknown:
        raise ValidationFailed(
            _l("%(field)s: unknown fields.", field=field_name), {field_name: _l("only email, name and organisation")}
        )
    for key in ("name", "organisation"):
        if value.get(key) is not None and (not isinstance(value[key], str) or len(value[key]) > 200):
            raise ValidationFailed(
                _l("%(field)s.%(key)s is not valid.", field=field_name, key=key),
                {field_name: _l("%(key)s: text of at most 200 characters", key=key)},
            )
    try:
        return get_or_create_person(value["email"], value.get("name"), value.get("organisation"))
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, {field_name: next(iter(exc.fields.values()), exc.message)}) from None


def owner_reference(value: Any, field_name: str) -> tuple[Person | None, str | None]:
    """An owner: a person (an email or an object) or free text such as "Per Bach og Anne Rahbek"; None for nobody."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, str) and not looks_like_email(value):
        # Checked like a title: the text goes into calendar descriptions, where a control character would travel raw.
        return None, required_text(value, field_name, MAX_OWNER_TEXT)
    return person_reference(value.strip() if isinstance(value, str) else value, field_name), None


def owner_value(person: Person | None, text: str | None) -> str | None:
    """The owner as the API gives it back: the person's email, else the free text; PUT accepts it again."""
    return person.email if person is not None else text


# ---------------------------------------------------------------------------------------------------------
# Many people at once (a list of invitees)
# ---------------------------------------------------------------------------------------------------------

IN_LIST_CHUNK = 5_000  # values in one IN (...) or multi-row INSERT page: a whole list of invitees at once


@dataclass(frozen=True)
class NewPerson:
    """One person of a list, already cleaned: ``email`` normalised, "" where nothing was given."""

    email: str
    name: str = ""
    organisation: str = ""
    language: str = ""


MAX_LISTED_TEXT = 200


def clean_new_person(email: str, name: str = "", organisation: str = "", language: str = "") -> NewPerson:
    """One row of a list of people (invitees, members) checked: the address normalised, name and organisation at
    most 200 characters, a language code normalised (``normalize_language``: "de-AT" is "de", "pt" stays "pt";
    "" where nothing was given). Raises ValidationFailed naming every bad column at once, so a list can report
    the row's line with all its problems."""
    values = clean_fields(
        {
            "email": lambda: normalize_email(email) if email.strip() else _missing("email"),
            "name": lambda: optional_text(name, "name", MAX_LISTED_TEXT) or "",
            "organisation": lambda: optional_text(organisation, "organisation", MAX_LISTED_TEXT) or "",
            "language": lambda: normalize_language(language) if language.strip() else "",
        }
    )
    return NewPerson(values["email"], values["name"], values["organisation"], values["language"])


def _missing(field_name: str) -> str:
    raise ValidationFailed(_l("%(field)s is missing.", field=field_name), {field_name: _l("missing")})


def get_or_create_people(entries: Sequence[NewPerson], now: datetime) -> dict[str, int]:
    """The id of each entry's person by email, as ``get_or_create_person`` would give them one by one, in a few
    statements whatever the number: one SELECT for who exists, multi-row INSERTs for the rest.

    As one by one, an existing person keeps their data and only a missing organisation is filled in. Two imports
    running at once cannot both create a person: the insert skips an address just created, and it is read back.
    """
    existing = _people_by_email([entry.email for entry in entries])
    wanted_orgs = {e.organisation for e in entries if e.organisation and existing.get(e.email, (0, None))[1] is None}
    organisations = get_or_create_organisations(sorted(wanted_orgs), now)
    new = [entry for entry in entries if entry.email not in existing]
    statement = insert_skipping_duplicates(Person.__table__, db.session)
    for chunk in _chunks(new):
        db.session.execute(statement, [_person_row(entry, organisations, now) for entry in chunk])
    ids = {email: person_id for email, (person_id, _) in existing.items()}
    ids.update({email: person_id for email, (person_id, _) in _people_by_email([e.email for e in new]).items()})
    _fill_in_organisations(entries, existing, organisations, now)
    return ids


def get_or_create_organisations(names: Sequence[str], now: datetime) -> dict[str, int]:
    """The id of each organisation by name (names already cleaned), created where new."""
    table = Organisation.__table__
    found = _organisations_by_name(names)
    missing = [name for name in names if name not in found]
    for chunk in _chunks(missing):
        rows = [{"name": name, "kind": OrganisationKind.OTHER, "created_at": now, "updated_at": now} for name in chunk]
        db.session.execute(insert_skipping_duplicates(table, db.session), rows)
    if missing:
        found.update(_organisations_by_name(missing))
    return found


def _person_row(entry: NewPerson, organisations: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "email": entry.email, "name": entry.name or entry.email.split("@")[0], "language": entry.language or None,
        "organisation_id": organisations.get(entry.organisation), "created_at": now, "updated_at": now,
    }  # fmt: skip


def _fill_in_organisations(
    entries: Sequence[NewPerson],
    existing: dict[str, tuple[int, int | None]],
    organisations: dict[str, int],
    now: datetime,
) -> None:
    """Existing people without an organisation get the one the list names (one executemany UPDATE)."""
    fills = {}
    for entry in entries:
        person_id, organisation_id = existing.get(entry.email, (None, None))
        if person_id is not None and organisation_id is None and entry.organisation:
            fills[person_id] = organisations[entry.organisation]
    if not fills:
        return
    table = Person.__table__
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("person_id"), table.c.organisation_id.is_(None))
        .values(organisation_id=sa.bindparam("organisation_id"), updated_at=now)
    )
    db.session.execute(statement, [{"person_id": pid, "organisation_id": oid} for pid, oid in fills.items()])


def _people_by_email(emails: Sequence[str]) -> dict[str, tuple[int, int | None]]:
    found: dict[str, tuple[int, int | None]] = {}
    for chunk in _chunks(emails):
        query = sa.select(Person.id, Person.email, Person.organisation_id).where(Person.email.in_(chunk))
        found.update({email: (person_id, org_id) for person_id, email, org_id in db.session.execute(query)})
    return found


def _organisations_by_name(names: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(names):
        query = sa.select(Organisation.id, Organisation.name).where(Organisation.name.in_(chunk))
        found.update({name: org_id for org_id, name in db.session.execute(query)})
    return found


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), IN_LIST_CHUNK):
        yield items[start : start + IN_LIST_CHUNK]


class ListedRow(Protocol):
    """One row of a pasted list or CSV file, as ``registration.invitee_lists`` reads it."""

    line: int
    email: str
    name: str
    organisation: str
    language: str


@dataclass
class SortedRows:
    """A list of people sorted for adding: rows to add, rows skipped (listed twice, or there already) and rows
    refused (with their line and every bad column)."""

    new: list[tuple[int, NewPerson]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


# The columns of a list of people, as a row's problems name them.
COLUMNS = {"email": _l("email"), "name": _l("name"), "organisation": _l("organisation"), "language": _l("language")}


def _problems(fields: dict[str, Any]) -> str:
    """A row's problems on one line, "email: not a valid email address; language: one of en, da", in the
    reader's language (the caller wraps this in a LazyText: lists are shown on pages and in the API)."""
    return "; ".join(f"{COLUMNS.get(name, name)}: {problem}" for name, problem in fields.items())


def sort_listed_rows(
    rows: Iterable[ListedRow], already_there: Callable[[list[str]], set[str]], already_reason: str | LazyText
) -> SortedRows:
    """The one rule of invitation and member lists: each row checked (``clean_new_person``), a row listed twice
    (whatever the capitals) or whose address ``already_there`` returns is skipped with ``already_reason``, so
    uploading the same file again adds nobody."""
    result = SortedRows()
    cleaned: list[tuple[int, NewPerson]] = []
    for row in rows:
        try:
            cleaned.append((row.line, clean_new_person(row.email, row.name, row.organisation, row.language)))
        except ValidationFailed as exc:
            reason = LazyText(_problems, exc.fields) if exc.fields else exc.message
            result.errors.append({"line": row.line, "email": row.email[:254], "reason": reason})
    there = already_there([entry.email for _, entry in cleaned])
    seen: set[str] = set()
    for line, entry in cleaned:
        if entry.email in seen or entry.email in there:
            reason = _l("listed twice") if entry.email in seen else already_reason
            result.skipped.append({"line": line, "email": entry.email, "reason": reason})
        else:
            result.new.append((line, entry))
        seen.add(entry.email)
    return result


# ---------------------------------------------------------------------------------------------------------
# Languages eventhub does not speak (yet)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageFallback:
    """Someone just added (invited, made a member) whose language eventhub does not speak: the language they will
    read instead and why (``i18n.choose_reader_language``), for the warning the organiser sees by the row's line."""

    line: int
    email: str
    language: str
    reads: str
    source: LanguageSource

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "email": self.email, "language": self.language, "reads": self.reads,
                "source": self.source.value}  # fmt: skip


def language_fallback(person: Person, event_or_series: Any, line: int = 0) -> LanguageFallback | None:
    """What ``person`` reads instead of their own language, or None when eventhub speaks it."""
    chosen = choose_reader_language(person, event_or_series)
    if chosen.source == LanguageSource.OWN or not person.language:  # none given is no fallback to warn about
        return None
    return LanguageFallback(line, person.email, person.language, chosen.language, chosen.source)


def language_fallbacks(listed: Iterable[tuple[int, Person]], event_or_series: Any) -> list[LanguageFallback]:
    """``language_fallback`` of each (line, person) added from a list, by line."""
    found = (language_fallback(person, event_or_series, line) for line, person in listed)
    return sorted((fallback for fallback in found if fallback is not None), key=lambda fallback: fallback.line)
