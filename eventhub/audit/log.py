"""Recording into the audit log, and the guard that keeps it append-only.

Callers pass what they have: the acting account (None for the system, e.g. the retention job, or for a person
acting on their own registration), the event or series the change belongs to, the person it is about, and the
changed fields as ``changes(before, after)`` gives them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session

from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.extensions import db

REWRITE_FLAG = "audit_rewrite_allowed"


class AuditLogIsAppendOnly(RuntimeError):
    """An UPDATE or DELETE of audit entries outside ``rewriting_history``: a programming error, never a user's."""


def record(
    action: AuditAction,
    *,
    actor: Any,
    now: datetime,
    event: Any = None,
    series: Any = None,
    person: Any = None,
    subject: str = "",
    fields: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to the session (the caller's transaction commits it with the change).

    ``actor`` is a User (anything with ``id`` and ``email``) or None; ``event``/``series``/``person`` are model
    instances or None. An event's series is filled in from the event, so a series' log shows its events' changes.
    """
    if series is None and event is not None:
        series = getattr(event, "series", None)
    entry = AuditEntry(
        at=now,
        actor_id=getattr(actor, "id", None),
        actor_label=_actor_label(actor),
        action=str(action),
        event_id=getattr(event, "id", None),
        series_id=getattr(series, "id", None),
        person_id=getattr(person, "id", None),
        subject=subject[:300],
        fields={name: [_json(before), _json(after)] for name, (before, after) in (fields or {}).items()},
    )
    db.session.add(entry)
    return entry


def record_people(
    action: AuditAction,
    people: Sequence[Any],
    *,
    actor: Any,
    now: datetime,
    event: Any = None,
    series: Any = None,
    fields: Mapping[str, Any] | None = None,
) -> AuditEntry | None:
    """One entry for a change that touched ``people`` at once (a list of invitees, a CSV of members): one person
    makes an entry about them (``person=``, so erasure forgets them); several make one entry with their count and
    ids in ``fields``, never their addresses (an id means nothing once the person is erased). None for nobody."""
    if not people:
        return None
    if len(people) == 1:
        return record(
            action, actor=actor, now=now, event=event, series=series, person=people[0],
            subject=person_subject(people[0]), fields={"count": (None, 1), **(fields or {})},
        )  # fmt: skip
    counted = {"count": (None, len(people)), "person_ids": (None, [person.id for person in people])}
    return record(
        action, actor=actor, now=now, event=event, series=series, subject=f"{len(people)} people",
        fields={**counted, **(fields or {})},
    )  # fmt: skip


def record_export(
    file_name: str,
    *,
    actor: Any,
    now: datetime,
    event: Any = None,
    series: Any = None,
    rows: int | None = None,
    filters: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """An export downloaded: which file, how many rows and with which filters (the download view commits it)."""
    fields: dict[str, Any] = {"file": (None, file_name)}
    if rows is not None:
        fields["rows"] = (None, rows)
    fields.update({f"filter_{name}": (None, value) for name, value in (filters or {}).items() if value})
    return record(
        AuditAction.EXPORT_DOWNLOADED, actor=actor, now=now, event=event, series=series, subject=file_name,
        fields=fields,
    )  # fmt: skip


def person_subject(person: Any) -> str:
    """How an entry names the person it is about: "Anna Nowak <anna@example.org>" (erasure clears it)."""
    name, email = getattr(person, "name", "") or "", getattr(person, "email", "") or ""
    return f"{name} <{email}>" if name else email


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs, as ``{name: (before, after)}`` (``record``'s ``fields``)."""
    return {name: (before.get(name), value) for name, value in after.items() if before.get(name) != value}


def snapshot(instance: Any, names: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """``{name: instance.name}`` for the given attributes: take one before a change and one after."""
    return {name: getattr(instance, name) for name in names}


def _actor_label(actor: Any) -> str:
    if actor is None:
        return ""
    person = getattr(actor, "person", None)
    return str(getattr(person, "email", None) or getattr(actor, "email", "") or "")[:300]


def _json(value: Any) -> Any:
    """A value as JSON can hold it: instants and days as ISO 8601, enums as their value, sets as sorted lists."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple | list):
        items = [_json(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@contextmanager
def rewriting_history(session: Session | None = None) -> Iterator[None]:
    """Allow UPDATE/DELETE of audit entries inside this block: only the retention job and erasure use it, to
    remove a person's identity from entries while keeping the action."""
    session = session or db.session()
    session.info[REWRITE_FLAG] = True
    try:
        yield
    finally:
        session.info.pop(REWRITE_FLAG, None)


ERASED = "(erased)"


def forget_person(person_id: int, user_id: int | None, traces: list[str]) -> int:
    """Remove a person's identity from the log and keep the actions: entries about them lose their subject and
    their link to them; entries they made as an actor lose the label; any field value holding one of ``traces``
    (their address, their name) reads "(erased)". Returns how many entries changed. Used by erasure and
    retention, inside ``rewriting_history``."""
    needles = [trace.lower() for trace in traces if trace]
    about = sa.or_(AuditEntry.person_id == person_id, AuditEntry.actor_id == user_id if user_id else sa.false())
    changed: set[int] = set()
    with rewriting_history():
        for entry in db.session.scalars(sa.select(AuditEntry).where(about)):
            if entry.person_id == person_id:
                entry.person_id, entry.subject = None, ""
            if user_id and entry.actor_id == user_id:
                entry.actor_id, entry.actor_label = None, ""
            changed.add(entry.id)
        for entry in _entries_mentioning(needles):
            entry.fields = _scrubbed(entry.fields, needles)
            entry.subject = ERASED if any(n in entry.subject.lower() for n in needles) else entry.subject
            changed.add(entry.id)
        db.session.flush()
    return len(changed)


def forget_people_in(scope: sa.ColumnElement[bool], person_ids: list[int], traces: list[str]) -> int:
    """``forget_person`` for many people at once, within the entries ``scope`` selects (one event's entries, or
    those linked to the people): for the retention job, which forgets everyone of one event, some of whom stay
    known elsewhere (a member keeps the entries of their membership). Entries about them lose their subject and
    their link to them; any value holding one of ``traces`` reads "(erased)". The scope's entries are few and
    checked here rather than with one LIKE per trace, so thousands of traces cost no giant query.
    Returns how many entries changed."""
    needles = sorted({trace.lower() for trace in traces if trace})
    people = set(person_ids)
    changed = 0
    with rewriting_history():
        for entry in db.session.scalars(sa.select(AuditEntry).where(scope)).all():
            about = entry.person_id is not None and entry.person_id in people
            mentions = _mentions(entry, needles)
            if about:
                entry.person_id, entry.subject = None, ""
            if mentions:
                entry.fields = _scrubbed(entry.fields, needles)
                entry.subject = ERASED if any(n in entry.subject.lower() for n in needles) else entry.subject
            changed += about or mentions
        db.session.flush()
    return changed


def _mentions(entry: AuditEntry, needles: list[str]) -> bool:
    text = (json.dumps(entry.fields, ensure_ascii=False) + " " + entry.subject).lower()
    return any(needle in text for needle in needles)


def _entries_mentioning(needles: list[str]) -> list[AuditEntry]:
    if not needles:
        return []
    text = sa.func.lower(sa.cast(AuditEntry.fields, sa.Text) + " " + AuditEntry.subject)
    return list(db.session.scalars(sa.select(AuditEntry).where(sa.or_(*(text.like(f"%{n}%") for n in needles)))))


def _scrubbed(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        return ERASED if any(needle in value.lower() for needle in needles) else value
    if isinstance(value, list):
        return [_scrubbed(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, needles) for key, item in value.items()}
    return value


def _refuse_rewrites(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete) or state.session.info.get(REWRITE_FLAG):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) == AuditEntry.__tablename__:
        raise AuditLogIsAppendOnly("audit entries are append-only")


def _refuse_flushed_rewrites(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(REWRITE_FLAG):
        return
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, AuditEntry) and (instance in session.deleted or session.is_modified(instance)):
            raise AuditLogIsAppendOnly("audit entries are append-only")


def install_guard() -> None:
    """Refuse ORM updates and deletes of audit entries, whether by statement (``sa.update``/``sa.delete``) or by
    changing a loaded entry. Installed once at import; idempotent."""
    if not sa.event.contains(Session, "do_orm_execute", _refuse_rewrites):
        sa.event.listen(Session, "do_orm_execute", _refuse_rewrites)
        sa.event.listen(Session, "before_flush", _refuse_flushed_rewrites)


install_guard()
