"""The rules of an event's agenda: timed items inside the event, no overlaps unless parallel tracks are allowed,
whole-list replacement (all or nothing), publication, and telling registrants about changes once edits settle.

Functions flush, never commit. Times arrive as local wall-clock time in the event's zone or with an offset
(``parse_instant``); errors name the item and field (``items[2].ends_at``) so forms and the API can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.agenda.models import Agenda, AgendaItem, AgendaItemKind
from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.db import built_once, utcnow
from eventhub.errors import Conflict, ValidationFailed
from eventhub.events.models import Event, Person
from eventhub.events.people import owner_reference
from eventhub.extensions import db
from eventhub.texts import lazy_text as _l
from eventhub.validation import UNKNOWN_FIELD, enum_value, optional_text, parse_instant, required_text

# How long an agenda must stay unchanged before registrants are told: a burst of edits makes one email.
SETTLE_DELAY = timedelta(minutes=10)
AGENDA_CHANGED_KIND = "agenda_changed"
ITEM_FIELDS = ("starts_at", "ends_at", "duration_minutes", "title", "owner", "kind", "description")
MAX_ITEMS = 200


@dataclass(frozen=True)
class CleanItem:
    """One validated item, ready to be stored."""

    starts_at: datetime
    ends_at: datetime
    title: str
    description: str
    kind: AgendaItemKind
    owner_person: Person | None
    owner_text: str | None

    def signature(self) -> tuple[Any, ...]:
        """What registrants would notice changing (used to tell a real change from a re-save)."""
        owner = self.owner_person.id if self.owner_person is not None else None
        return (self.starts_at, self.ends_at, self.title, self.description, self.kind, owner, self.owner_text)


def find_agenda(event: Event) -> Agenda | None:
    """The event's agenda, or None when it has none yet (reading never creates one).

    Its items come with their owners and the owners' organisations, so a page listing them (``owner_label``)
    runs the same few statements for any number of items.
    """
    return db.session.scalars(_agenda_query(), {"event_id": event.id}).unique().one_or_none()


@built_once
def _agenda_query() -> sa.Select:
    # One statement (the agenda's columns repeated on each item's row): the event page shows the agenda on every
    # view, and a second statement for the items cost more than the repeated columns (bench/profile_page.py).
    owners = joinedload(Agenda.items).joinedload(AgendaItem.owner_person).joinedload(Person.organisation)
    return sa.select(Agenda).where(Agenda.event_id == sa.bindparam("event_id")).options(owners)


def published_agenda_event_ids(event_ids: list[int]) -> set[int]:
    """Which of ``event_ids`` have a published agenda, in one query (the dashboard flags the others)."""
    if not event_ids:
        return set()
    query = sa.select(Agenda.event_id).where(Agenda.event_id.in_(event_ids), Agenda.published_at.is_not(None))
    return set(db.session.scalars(query))


def get_or_create_agenda(event: Event) -> Agenda:
    """The event's agenda, created empty (unpublished) on first use."""
    agenda = find_agenda(event)
    if agenda is None:
        agenda = Agenda(event=event, allows_parallel=False, version=0, notified_version=0)
        db.session.add(agenda)
        db.session.flush()
    return agenda


def replace_agenda(event: Event, items: Any, now: datetime, allows_parallel: bool | None = None) -> Agenda:
    """Replace every item of the event's agenda with ``items`` (a list of dicts with ITEM_FIELDS), in that order.

    All or nothing: every item is checked first and ValidationFailed lists every bad field as ``items[i].field``.
    A real change to a published agenda bumps its version and ``changed_at`` so the planner tells registrants.
    Raises Conflict for a cancelled event.
    """
    if event.is_cancelled:
        raise Conflict(_l("The agenda of a cancelled event cannot be changed."))
    agenda = get_or_create_agenda(event)
    if allows_parallel is not None:
        agenda.allows_parallel = bool(allows_parallel)
    cleaned = clean_items(event, items, agenda.allows_parallel)
    before = [_signature_of(item) for item in agenda.items]
    _store_items(agenda, cleaned)
    if agenda.is_published and before != [item.signature() for item in cleaned]:
        mark_agenda_changed(agenda, now)
    agenda.updated_at = now
    db.session.flush()
    return agenda


def _store_items(agenda: Agenda, cleaned: list[CleanItem]) -> None:
    """Store ``cleaned`` in order. An item whose title stays keeps its row (so what refers to it, such as the
    materials attached to it, stays with it); the other old rows are deleted. Kept rows first move out of the
    way of the new positions (flushed), so no two rows ever share a position."""
    reusable: dict[str, list[AgendaItem]] = {}
    for row in agenda.items:
        reusable.setdefault(row.title, []).append(row)
    rows = [reusable[item.title].pop(0) if reusable.get(item.title) else None for item in cleaned]
    kept = {id(row) for row in rows if row is not None}
    for row in [row for row in agenda.items if id(row) not in kept]:
        agenda.items.remove(row)
    for offset, row in enumerate(row for row in rows if row is not None):
        row.position = MAX_ITEMS + 1 + offset
    db.session.flush()
    for position, (item, row) in enumerate(zip(cleaned, rows, strict=True)):
        if row is None:
            row = AgendaItem()
            agenda.items.append(row)
        row.position, row.starts_at, row.ends_at, row.title = position, item.starts_at, item.ends_at, item.title
        row.description, row.kind, row.owner_text = item.description, item.kind, item.owner_text
        row.owner_person = item.owner_person
    db.session.flush()
    db.session.expire(agenda, ["items"])  # read back in the relationship's order (time, then position)
    db.session.expire(agenda, ["items"])


def _signature_of(item: AgendaItem) -> tuple[Any, ...]:
    return (
        item.starts_at,
        item.ends_at,
        item.title,
        item.description,
        item.kind,
        item.owner_person_id,
        item.owner_text,
    )


def mark_agenda_changed(agenda: Agenda, now: datetime) -> None:
    """Record a change registrants should hear about (once the agenda has been quiet for SETTLE_DELAY)."""
    agenda.version += 1
    agenda.changed_at = now


def clean_items(event: Event, items: Any, allows_parallel: bool) -> list[CleanItem]:
    """Check every item's fields, then times against the event and each other; raises with all errors at once."""
    if not isinstance(items, list):
        raise ValidationFailed(_l("items must be a list."), {"items": _l("a list of agenda items")})
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(_l("Too many items."), {"items": _l("at most %(count)d items", count=MAX_ITEMS)})
    errors: dict[str, Any] = {}
    cleaned: list[CleanItem | None] = [_clean_item(event, index, raw, errors) for index, raw in enumerate(items)]
    if not errors:
        _check_times(event, cleaned, allows_parallel, errors)  # type: ignore[arg-type]
    if errors:
        raise ValidationFailed(_l("Some agenda items are not valid."), errors)
    return cleaned  # type: ignore[return-value]


def _clean_item(event: Event, index: int, raw: Any, errors: dict[str, Any]) -> CleanItem | None:
    prefix = f"items[{index}]"
    if not isinstance(raw, dict):
        errors[prefix] = _l("an object with starts_at, ends_at and title")
        return None
    for name in sorted(set(raw) - set(ITEM_FIELDS)):
        errors[f"{prefix}.{name}"] = UNKNOWN_FIELD
    values: dict[str, Any] = {}

    def attempt(name: str, parse) -> None:
        try:
            values[name] = parse(raw.get(name))
        except ValidationFailed as exc:
            errors.update(exc.fields or {f"{prefix}.{name}": exc.message})

    attempt("starts_at", lambda v: parse_instant(v, event.timezone, f"{prefix}.starts_at"))
    attempt("ends_at", lambda v: _end(v, raw.get("duration_minutes"), values.get("starts_at"), event.timezone, prefix))
    attempt("title", lambda v: required_text(v, f"{prefix}.title", 300))
    attempt("description", lambda v: optional_text(v, f"{prefix}.description", 20_000, multiline=True) or "")
    attempt("kind", lambda v: enum_value(AgendaItemKind, v or AgendaItemKind.OTHER.value, f"{prefix}.kind"))
    attempt("owner", lambda v: owner_reference(v, f"{prefix}.owner"))
    if any(key.startswith(prefix + ".") or key == prefix for key in errors):
        return None
    person, text = values["owner"]
    return CleanItem(
        values["starts_at"], values["ends_at"], values["title"], values["description"], values["kind"], person, text
    )


def _end(value: Any, duration: Any, start: datetime | None, zone: str, prefix: str) -> datetime:
    """``ends_at``, or ``starts_at`` + ``duration_minutes`` when only a duration is given."""
    if value in (None, "") and duration is not None:
        if isinstance(duration, bool) or not isinstance(duration, int) or not 1 <= duration <= 24 * 60 * 14:
            raise ValidationFailed(_l("Bad duration."), {f"{prefix}.duration_minutes": _l("whole minutes, at least 1")})
        if start is None:
            raise ValidationFailed(_l("No start."), {f"{prefix}.ends_at": _l("needs a valid starts_at")})
        return start + timedelta(minutes=duration)
    return parse_instant(value, zone, f"{prefix}.ends_at")


def _check_times(event: Event, items: list[CleanItem], allows_parallel: bool, errors: dict[str, Any]) -> None:
    """Each item ends after it starts and lies inside the event; without parallel tracks none overlap."""
    for index, item in enumerate(items):
        if item.ends_at <= item.starts_at:
            errors[f"items[{index}].ends_at"] = _l("must be after starts_at")
        elif item.starts_at < event.starts_at:
            errors[f"items[{index}].starts_at"] = _l("before the event starts")
        elif item.ends_at > event.ends_at:
            errors[f"items[{index}].ends_at"] = _l("after the event ends")
    if errors or allows_parallel:
        return
    order = sorted(range(len(items)), key=lambda i: (items[i].starts_at, i))
    for earlier, later in zip(order, order[1:]):
        if items[later].starts_at < items[earlier].ends_at:
            overlapped = items[earlier].title
            errors[f"items[{later}].starts_at"] = _l(
                "overlaps item %(number)d (%(title)s)", number=earlier + 1, title=overlapped
            )  # numbered from 1, as the page numbers its items ("Item 2: …")


def publish_agenda(event: Event, now: datetime, actor: Any = None) -> Agenda:
    """Show the agenda on the event page. Publishing is not itself a change registrants are emailed about.
    Publishing a hidden agenda is recorded in the audit log for ``actor``; publishing it again changes nothing."""
    agenda = get_or_create_agenda(event)
    if agenda.published_at is None:
        agenda.published_at = now
        agenda.notified_version = agenda.version
        _audit(AuditAction.AGENDA_PUBLISHED, event, agenda, actor, now, published_at=(None, now))
    db.session.flush()
    return agenda


def unpublish_agenda(event: Event, now: datetime | None = None, actor: Any = None) -> Agenda:
    """Hide the agenda again; changes made while hidden are not announced when it is published later. Hiding a
    published agenda is recorded in the audit log for ``actor``."""
    agenda = get_or_create_agenda(event)
    if agenda.published_at is not None:
        hidden = (agenda.published_at, None)
        _audit(AuditAction.AGENDA_UNPUBLISHED, event, agenda, actor, now or utcnow(), published_at=hidden)
    agenda.published_at = None
    agenda.notified_version = agenda.version
    db.session.flush()
    return agenda


def _audit(action: AuditAction, event: Event, agenda: Agenda, actor: Any, now: datetime, **fields: Any) -> None:
    fields["items"] = (None, len(agenda.items))
    audit.record(action, actor=actor, now=now, event=event, subject=event.title, fields=fields)


def agenda_days(agenda: Agenda | None, zone: str) -> list[tuple[date, list[AgendaItem]]]:
    """Items grouped by their local date in the event's zone, days and items in time order."""
    days: dict[date, list[AgendaItem]] = {}
    for item in sorted(agenda.items if agenda else [], key=lambda i: (i.starts_at, i.position)):
        days.setdefault(item.local_day(zone), []).append(item)
    return list(days.items())


def agenda_as_text(event: Event) -> str:
    """The published agenda as plain text ("14.00–14.05 Velkommen (Per Bach, ...)"), for calendar descriptions.

    An unpublished or empty agenda gives "". Multi-day events get a line per day before its items.
    """
    agenda = find_agenda(event)
    if agenda is None or not agenda.is_published:
        return ""
    days = agenda_days(agenda, event.timezone)
    lines: list[str] = []
    for day, items in days:
        if len(days) > 1:
            lines.append(day.isoformat())
        lines.extend(agenda_item_line(item, event) for item in items)
    return "\n".join(lines)


def agenda_item_line(item: AgendaItem, event: Event) -> str:
    """One item as a line of plain text in the event's zone: "14.00–14.05 Velkommen (Per Bach)"."""
    start = item.starts_at.astimezone(event.zone).strftime("%H.%M")
    end = item.ends_at.astimezone(event.zone).strftime("%H.%M")
    owner = f" ({item.owner_label})" if item.owner_label else ""
    return f"{start}–{end} {item.title}{owner}"


def agenda_changes_due(now: datetime, settle: timedelta = SETTLE_DELAY) -> list[Agenda]:
    """Published agendas of upcoming events changed since the last email and quiet for ``settle``."""
    query = (
        sa.select(Agenda)
        .join(Agenda.event)
        .where(
            Agenda.published_at.is_not(None),
            Agenda.version > Agenda.notified_version,
            Agenda.changed_at <= now - settle,
            Event.ends_at > now,
        )
        .order_by(Agenda.id)
    )
    return list(db.session.scalars(query))
