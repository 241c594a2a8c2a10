"""The audit log as pages and the CSV file show it: who, what (the action's label), about which event, and each
changed field as "before → after" in words a reader knows (dates in the event's zone, statuses and roles by their
labels, reminders as "7 days and 1 day").

Entries are JSON written by many versions of eventhub, so nothing here trusts their shape: an unknown action or
field is shown by its stored name rather than failing the page.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from eventhub.accounts.models import Role
from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.events.forms import VISIBILITY_CHOICES
from eventhub.events.forms_settings import describe_offsets
from eventhub.events.models import Event, EventKind, EventStatus, MembershipRole
from eventhub.extensions import db
from eventhub.i18n import format_in_zone
from eventhub.labels import AUDIT_ACTION, EVENT_KIND, label
from eventhub.registration.export import BOM, neutralise
from eventhub.registration.models import InvitationStatus, RegistrationStatus, RequestStatus

VISIBILITY_LABELS = {choice.value: choice.label for choice in VISIBILITY_CHOICES if choice.value}
MAX_LISTED = 10  # ids of a list shown on the page; the CSV's JSON column has them all
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
FIELD_LABELS = {
    "title": _l("Title"),
    "kind": _l("Kind"),
    "series": _l("Series"),
    "slug": _l("Short name in links (slug)"),
    "number": _l("Number"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "timezone": _l("Time zone"),
    "location": _l("Location"),
    "online_url": _l("Online meeting link"),
    "capacity": _l("Capacity"),
    "registration_closes_at": _l("Registration closes"),
    "visibility": _l("Visibility"),
    "invitation_only": _l("Invitation only"),
    "language": _l("Language"),
    "description": _l("Description"),
    "organiser_name": _l("Organiser name shown in emails"),
    "reminder_offsets": _l("Reminders"),
    "status": _l("Status"),
    "role": _l("Role"),
    "active": _l("Active"),
    "waitlist_position": _l("Place on the waiting list"),
    "over_capacity": _l("Over capacity"),
    "promoted_person_ids": _l("Given a freed place (person ids)"),
    "count": _l("People"),
    "person_ids": _l("Person ids"),
    "send_count": _l("Times sent"),
    "published_at": _l("Published"),
    "items": _l("Agenda items"),
    "version": _l("Version"),
    "change_note": _l("What changed"),
    "emails": _l("Emails queued"),
    "file": _l("File"),
    "rows": _l("Rows"),
}
# Which enum names a field's stored value, by the field and the action that wrote it.
VALUE_ENUMS: dict[tuple[str, AuditAction | None], type[enum.Enum]] = {
    ("status", AuditAction.REGISTRATION_CHANGED): RegistrationStatus,
    ("status", AuditAction.INVITATION_REVOKED): InvitationStatus,
    ("status", AuditAction.REQUEST_DECIDED): RequestStatus,
    ("status", AuditAction.EVENT_CANCELLED): EventStatus,
    ("role", AuditAction.ROLE_CHANGED): Role,
    ("role", AuditAction.ACCOUNT_CREATED): Role,
    ("role", AuditAction.MEMBER_ADDED): MembershipRole,
    ("role", AuditAction.MEMBER_REMOVED): MembershipRole,
    ("role", AuditAction.ORGANISER_APPOINTED): MembershipRole,
    ("role", AuditAction.ORGANISER_DISMISSED): MembershipRole,
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str  # "" when there was nothing before (a creation)
    after: str


@dataclass(frozen=True)
class EntryRow:
    entry: AuditEntry
    zone: str  # the time zone its instants are shown in
    who: str
    what: str
    event: Event | None
    changes: list[Change]


def action_label(action: str) -> str:
    """The action's words; an action this version does not know by its stored name."""
    try:
        return str(AUDIT_ACTION[AuditAction(action)])
    except (ValueError, KeyError):
        return action


def action_choices() -> list[SelectChoice]:
    """The filter's choices, by label."""
    return sorted((SelectChoice(a.value, str(text)) for a, text in AUDIT_ACTION.items()), key=lambda c: c.label)


def entry_rows(entries: Sequence[AuditEntry], zone: str) -> list[EntryRow]:
    """The entries as the page shows them; each in its event's zone, else in ``zone``. One query for the events."""
    events = _events_of(entries)
    rows = []
    for entry in entries:
        event = events.get(entry.event_id) if entry.event_id else None
        shown_in = event.timezone if event is not None else zone
        rows.append(
            EntryRow(
                entry, shown_in, entry.actor_label or _("eventhub (no account)"), action_label(entry.action), event,
                changes_of(entry, shown_in),
            )
        )  # fmt: skip
    return rows


def changes_of(entry: AuditEntry, zone: str) -> list[Change]:
    """Each field of ``entry`` as (field, before, after) in words."""
    action = _known_action(entry.action)
    changes = []
    for name, pair in (entry.fields or {}).items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        shown = [_value(name, action, value, zone) for value in (before, after)]
        changes.append(Change(field_label(name), "" if before is None else shown[0], shown[1]))
    return changes


def field_label(name: str) -> str:
    if name.startswith("filter_"):
        return _("Filter: %(name)s", name=field_label(name.removeprefix("filter_")))
    known = FIELD_LABELS.get(name)
    return str(known) if known is not None else name.replace("_", " ")


def audit_csv(rows: Iterable[EntryRow]) -> str:
    """The entries as CSV (UTF-8 with BOM, CRLF, every cell formula-safe, as the other exports): the time with its
    offset in the event's zone, the words of the page, and the stored fields as JSON for whoever needs them all."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["at", "who", "action", "what", "event", "subject", "changes", "fields"])
    for row in rows:
        entry = row.entry
        changes = "; ".join(f"{c.field}: {c.before + ' → ' if c.before else ''}{c.after}" for c in row.changes)
        cells = [
            entry.at.astimezone(ZoneInfo(row.zone)).isoformat(), entry.actor_label, entry.action, row.what,
            row.event.title if row.event is not None else "", entry.subject, changes,
            json.dumps(entry.fields or {}, ensure_ascii=False, sort_keys=True),
        ]  # fmt: skip
        writer.writerow([neutralise(cell) for cell in cells])
    return BOM + buffer.getvalue()


def _events_of(entries: Sequence[AuditEntry]) -> dict[int, Event]:
    ids = {entry.event_id for entry in entries if entry.event_id}
    if not ids:
        return {}
    return {event.id: event for event in db.session.scalars(sa.select(Event).where(Event.id.in_(ids)))}


def _known_action(action: str) -> AuditAction | None:
    try:
        return AuditAction(action)
    except ValueError:
        return None


def _value(name: str, action: AuditAction | None, value: Any, zone: str) -> str:
    """One stored value in words: nothing as a dash, instants in ``zone``, enum values by their label."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "reminder_offsets" and isinstance(value, list):
        return describe_offsets([offset for offset in value if isinstance(offset, int)])
    if isinstance(value, list):
        shown = ", ".join(_value(name, action, item, zone) for item in value[:MAX_LISTED])
        return shown + (f", … (+{len(value) - MAX_LISTED})" if len(value) > MAX_LISTED else "")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        return _text(name, action, value, zone)
    return str(value)


def _text(name: str, action: AuditAction | None, value: str, zone: str) -> str:
    if INSTANT.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return format_in_zone(moment if moment.tzinfo else moment.replace(tzinfo=UTC), zone)
    if name == "kind" and value in {kind.value for kind in EventKind}:
        return str(EVENT_KIND[EventKind(value)])
    if name == "visibility" and value in VISIBILITY_LABELS:
        return str(VISIBILITY_LABELS[value])
    kind = VALUE_ENUMS.get((name, action))
    if kind is not None:
        try:
            return str(label(kind(value)))
        except (ValueError, KeyError):
            return value
    return value
