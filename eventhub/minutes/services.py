"""The rules of the minutes' working copy: its structured parts, drafting from the agenda, and comments on a
circulated draft. Attendance lives in ``attendance``, publication and the archive in ``publication``, and the
emails the minutes send in ``emails``.

Functions take ``now``, flush and never commit. Minutes belong to numbered meetings of a series
(their public address is /series/<slug>/minutes/<number>); other events raise Conflict.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only

from eventhub.agenda.models import AgendaItemKind
from eventhub.agenda.services import agenda_days, find_agenda
from eventhub.db import built_once
from eventhub.errors import Conflict, ValidationFailed
from eventhub.events.models import Event, Person
from eventhub.events.people import owner_reference, owner_value, person_reference
from eventhub.extensions import db
from eventhub.minutes.attendance import attendees_of, expected_attendees, require_meeting, set_attendance
from eventhub.minutes.models import ActionItem, Deadline, Minutes, MinutesComment, RoundTableEntry
from eventhub.texts import lazy_text as _l
from eventhub.validation import UNKNOWN_FIELD, check_characters, http_url, optional_text, required_text

MAX_BODY = 200_000
MAX_LIST = 200
MAX_LINK = 2000  # the column's length: long document links (query strings) are common
PART_FIELDS = ("attendees", "round_table", "decisions", "action_items", "deadlines", "materials", "next_meeting")


def find_minutes(event: Event, status_only: bool = False) -> Minutes | None:
    """The event's working copy, or None when nobody has saved one yet (reading never creates one).
    ``status_only`` reads only whether and when it was published and circulated (the event page's links), not
    the body (up to 200,000 characters) or the structured parts, which are read when first used."""
    query = _minutes_status_query() if status_only else _minutes_query()
    return db.session.scalar(query, {"event_id": event.id})


@built_once
def _minutes_query() -> sa.Select:
    return sa.select(Minutes).where(Minutes.event_id == sa.bindparam("event_id"))


@built_once
def _minutes_status_query() -> sa.Select:
    return _minutes_query().options(load_only(Minutes.event_id, Minutes.published_version, Minutes.circulated_at))


def working_copy(event: Event) -> Minutes:
    """The working copy to show in the editor: the saved one, or an empty draft that is not added to the session,
    so opening the editor writes nothing (the services that save create the row). Raises Conflict when the
    event is not a numbered meeting of a series."""
    require_meeting(event)
    return find_minutes(event) or Minutes(
        event=event, body="", decisions=[], materials=[], published_version=0, circulated_at=None
    )


def get_or_create_minutes(event: Event, now: datetime) -> Minutes:
    """The event's working copy, created empty on first use by a service that saves something."""
    require_meeting(event)
    minutes = find_minutes(event)
    if minutes is None:
        minutes = Minutes(
            event=event, body="", decisions=[], materials=[], published_version=0, created_at=now, updated_at=now
        )
        db.session.add(minutes)
        db.session.flush()
    return minutes


# ---------------------------------------------------------------------------------------------------------
# The working copy
# ---------------------------------------------------------------------------------------------------------


def update_minutes(event: Event, data: dict[str, Any], now: datetime) -> Minutes:
    """Set the body and whichever structured parts ``data`` names (a part left out stays as it was).

    All or nothing: every part is checked before anything changes, errors name the field
    (``action_items[1].due``). Raises Conflict when the event is not a numbered meeting of a series.
    """
    minutes = get_or_create_minutes(event, now)
    unknown = set(data) - {"body", *PART_FIELDS}
    if unknown:
        raise ValidationFailed(_l("Unknown fields."), {name: UNKNOWN_FIELD for name in sorted(unknown)})
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    for name, clean in _CLEANERS.items():
        if name in data:
            try:
                cleaned[name] = clean(data[name])
            except ValidationFailed as exc:
                errors.update(exc.fields or {name: exc.message})
    if errors:
        raise ValidationFailed(_l("Some fields are not valid."), errors)
    _apply(minutes, event, cleaned, now)
    minutes.updated_at = now
    db.session.flush()
    return minutes


def _apply(minutes: Minutes, event: Event, cleaned: dict[str, Any], now: datetime) -> None:
    if "body" in cleaned:
        minutes.body = cleaned["body"]
    if "attendees" in cleaned:
        set_attendance(event, cleaned["attendees"], now)
    if "decisions" in cleaned:
        minutes.decisions = cleaned["decisions"]
    if "materials" in cleaned:
        minutes.materials = cleaned["materials"]
    if "next_meeting" in cleaned:
        minutes.next_meeting_text = cleaned["next_meeting"]
    for name, rows in (
        ("round_table", minutes.round_table),
        ("action_items", minutes.action_items),
        ("deadlines", minutes.deadlines),
    ):
        if name in cleaned:
            rows.clear()
            db.session.flush()
            for position, row in enumerate(cleaned[name]):
                row.position = position
                rows.append(row)
    minutes.next_meeting_event = next_meeting_of(event)


def _clean_body(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationFailed(_l("body must be Markdown text."), {"body": _l("Markdown text")})
    if len(value) > MAX_BODY:
        raise ValidationFailed(_l("body is too long."), {"body": _l("at most %(count)d characters", count=MAX_BODY)})
    return check_characters(value.replace("\r\n", "\n"), "body", multiline=True)


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationFailed(_l("%(field)s must be a list.", field=name), {name: _l("a list")})
    if len(value) > MAX_LIST:
        raise ValidationFailed(
            _l("%(field)s is too long.", field=name), {name: _l("at most %(count)d entries", count=MAX_LIST)}
        )
    return value


def _each(value: Any, name: str, clean) -> list[Any]:
    """Clean every entry of a list, collecting the errors of all of them."""
    errors: dict[str, Any] = {}
    result = []
    for index, entry in enumerate(_list(value, name)):
        try:
            result.append(clean(entry, f"{name}[{index}]"))
        except ValidationFailed as exc:
            errors.update(exc.fields or {f"{name}[{index}]": exc.message})
    if errors:
        raise ValidationFailed(_l("Some %(field)s are not valid.", field=name), errors)
    return result


def _object(entry: Any, field_name: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ValidationFailed(_l("%(field)s must be an object.", field=field_name), {field_name: _l("an object")})
    unknown = set(entry) - allowed
    if unknown:
        raise ValidationFailed(_l("Unknown fields."), {f"{field_name}.{sorted(unknown)[0]}": UNKNOWN_FIELD})
    return entry


def _notes(value: Any, field_name: str, max_length: int) -> str:
    """Optional multi-line text, "" when missing (the columns are not nullable)."""
    return optional_text(value, field_name, max_length, multiline=True) or ""


def _link(value: Any, field_name: str) -> str | None:
    return http_url(value, field_name, max_length=MAX_LINK)


def _date(value: Any, field_name: str, required: bool) -> date | None:
    if value in (None, "") and not required:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _fail_date(field_name)
    except ValueError:
        return _fail_date(field_name)


def _fail_date(field_name: str) -> date:
    raise ValidationFailed(
        _l("%(field)s must be a date.", field=field_name), {field_name: _l("an ISO 8601 date, e.g. 2022-12-07")}
    )


def _clean_round_table_entry(entry: Any, field_name: str) -> RoundTableEntry:
    entry = _object(entry, field_name, {"person", "text"})
    person = person_reference(entry.get("person"), f"{field_name}.person")
    return RoundTableEntry(person=person, text=_notes(entry.get("text"), f"{field_name}.text", 20_000))


def _clean_action_item(entry: Any, field_name: str) -> ActionItem:
    entry = _object(entry, field_name, {"what", "owner", "due"})
    person, text = owner_reference(entry.get("owner"), f"{field_name}.owner")
    what = required_text(entry.get("what"), f"{field_name}.what", 1000)
    return ActionItem(
        what=what, owner_person=person, owner_text=text, due_on=_date(entry.get("due"), f"{field_name}.due", False)
    )


def _clean_deadline(entry: Any, field_name: str) -> Deadline:
    entry = _object(entry, field_name, {"title", "date", "link"})
    title = required_text(entry.get("title"), f"{field_name}.title", 500)
    return Deadline(
        title=title,
        due_on=_date(entry.get("date"), f"{field_name}.date", True),
        link=_link(entry.get("link"), f"{field_name}.link"),
    )


def _clean_material(entry: Any, field_name: str) -> dict[str, Any]:
    entry = _object(entry, field_name, {"title", "description", "link"})
    return {
        "title": required_text(entry.get("title"), f"{field_name}.title", 500),
        "description": _notes(entry.get("description"), f"{field_name}.description", 20_000),
        "link": _link(entry.get("link"), f"{field_name}.link"),
    }


def _clean_next_meeting(value: Any) -> str | None:
    return optional_text(value, "next_meeting", 300)


_CLEANERS = {
    "body": _clean_body,
    "attendees": lambda v: _each(v, "attendees", person_reference),
    "round_table": lambda v: _each(v, "round_table", _clean_round_table_entry),
    "decisions": lambda v: _each(v, "decisions", lambda e, f: required_text(e, f, 5000, multiline=True)),
    "action_items": lambda v: _each(v, "action_items", _clean_action_item),
    "deadlines": lambda v: _each(v, "deadlines", _clean_deadline),
    "materials": lambda v: _each(v, "materials", _clean_material),
    "next_meeting": _clean_next_meeting,
}


def next_meeting_of(event: Event) -> Event | None:
    """The series' next event after this one (by start), which the minutes link to when it exists."""
    if event.series_id is None:
        return None
    query = sa.select(Event).where(
        Event.series_id == event.series_id, Event.starts_at > event.starts_at, Event.id != event.id
    )
    return db.session.scalar(query.order_by(Event.starts_at, Event.id).limit(1))


def draft_from_agenda(event: Event, now: datetime) -> Minutes:
    """Start the body with one section per agenda item (its time and owner). Refuses to overwrite text.

    The round-table item gets no section: its entries are a structured part shown in their own section.
    """
    minutes = get_or_create_minutes(event, now)
    if not minutes.can_draft_from_agenda():
        raise Conflict(_l("The minutes already have text; drafting from the agenda would overwrite it."))
    minutes.body = agenda_markdown(event)
    minutes.next_meeting_event = next_meeting_of(event)
    minutes.updated_at = now
    db.session.flush()
    return minutes


def agenda_markdown(event: Event) -> str:
    """One "## 14.00–14.05 Title" section per agenda item, with its owner in italics."""
    sections = []
    for _day, items in agenda_days(find_agenda(event), event.timezone):
        for item in items:
            if item.kind == AgendaItemKind.ROUND_TABLE:
                continue
            start = item.starts_at.astimezone(event.zone).strftime("%H.%M")
            end = item.ends_at.astimezone(event.zone).strftime("%H.%M")
            owner = f"\n\n*{_escape_markdown(item.owner_label)}*" if item.owner_label else ""
            sections.append(f"## {start}–{end} {_escape_markdown(item.title)}{owner}\n\n")
    return "\n".join(sections)


def _escape_markdown(text: str) -> str:
    """Agenda titles are plain text: keep them from turning into links or emphasis inside the Markdown draft."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|])", r"\\\1", text)


# ---------------------------------------------------------------------------------------------------------
# Circulation and comments
# ---------------------------------------------------------------------------------------------------------


def mark_circulated(minutes: Minutes, now: datetime) -> list[Person]:
    """Open the draft for comments; returns who should be told (the attendees, else the expected list)."""
    minutes.circulated_at = now
    db.session.flush()
    return attendees_of(minutes.event) or expected_attendees(minutes.event)


def add_comment(minutes: Minutes, person: Person, body: Any, now: datetime) -> MinutesComment:
    text = required_text(body, "body", 10_000, multiline=True)
    comment = MinutesComment(minutes_id=minutes.id, person=person, body=text, created_at=now, updated_at=now)
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_on(minutes: Minutes) -> list[MinutesComment]:
    """Oldest first, each with its author and the author's organisation (pages show ``display_name``)."""
    query = (
        sa.select(MinutesComment)
        .where(MinutesComment.minutes_id == minutes.id)
        .options(joinedload(MinutesComment.person).joinedload(Person.organisation))
        .order_by(MinutesComment.created_at, MinutesComment.id)
    )
    return list(db.session.scalars(query))


def minutes_json(minutes: Minutes) -> dict[str, Any]:
    """The working copy in the shape PUT accepts (people as emails), plus its state."""
    event = minutes.event
    return {
        "event_id": event.id,
        "body": minutes.body,
        "attendees": [
            {"email": p.email, "name": p.name, "organisation": p.organisation.name if p.organisation else None}
            for p in attendees_of(event)
        ],
        "round_table": [{"person": entry.person.email, "text": entry.text} for entry in minutes.round_table],
        "decisions": list(minutes.decisions or []),
        "action_items": [
            {
                "what": i.what,
                "owner": owner_value(i.owner_person, i.owner_text),
                "due": i.due_on.isoformat() if i.due_on else None,
            }
            for i in minutes.action_items
        ],
        "deadlines": [{"title": d.title, "date": d.due_on.isoformat(), "link": d.link} for d in minutes.deadlines],
        "materials": [dict(m) for m in minutes.materials or []],
        "next_meeting": minutes.next_meeting_text,
        "published_version": minutes.published_version,
        "circulated_at": minutes.circulated_at.isoformat() if minutes.circulated_at else None,
    }
