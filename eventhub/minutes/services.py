"""The rules of minutes: attendance, the working copy with its structured parts, drafting from the agenda,
circulation for comments, publication as frozen versions, and the archive of a series.

Functions take ``actor`` and ``now``, flush and never commit. Minutes belong to numbered meetings of a series
(their public address is /series/<slug>/minutes/<number>); other events raise Conflict.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from eventhub.agenda.services import agenda_days, get_agenda, registrants_of
from eventhub.errors import Conflict, NotFound, ValidationFailed
from eventhub.events.models import Event, Person, Series, SeriesMembership
from eventhub.events.services import check_characters, get_or_create_person
from eventhub.extensions import db
from eventhub.mail.services import queue_email
from eventhub.minutes import emails
from eventhub.minutes.models import ActionItem, Attendance, Deadline, Minutes, MinutesComment, MinutesVersion, RoundTableEntry
from eventhub.minutes.people import owner_reference, owner_value, person_reference

MAX_BODY = 200_000
MAX_LIST = 200
LINK_PATTERN = re.compile(r"^https?://\S+$")
PART_FIELDS = ("attendees", "round_table", "decisions", "action_items", "deadlines", "materials", "next_meeting")


def require_meeting(event: Event) -> Series:
    """The event's series; minutes need a numbered meeting of a series (that is where they are published)."""
    if event.series is None or event.number is None:
        raise Conflict("Minutes are kept for numbered meetings of a series.")
    return event.series


def get_minutes(event: Event) -> Minutes | None:
    return db.session.scalar(sa.select(Minutes).where(Minutes.event_id == event.id))


def minutes_of(event: Event, now: datetime) -> Minutes:
    """The event's working copy, created empty on first use."""
    require_meeting(event)
    minutes = get_minutes(event)
    if minutes is None:
        minutes = Minutes(event=event, body="", decisions=[], materials=[], published_version=0, created_at=now, updated_at=now)
        db.session.add(minutes)
        db.session.flush()
    return minutes


# ---------------------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------------------


def expected_attendees(event: Event) -> list[Person]:
    """Who could have come: confirmed registrants and the series' members, by name."""
    people = {person.id: person for person in registrants_of(event)}
    if event.series is not None:
        members = db.session.scalars(
            sa.select(Person).join(SeriesMembership, SeriesMembership.person_id == Person.id).where(
                SeriesMembership.series_id == event.series.id
            )
        )
        people.update({person.id: person for person in members})
    return sorted(people.values(), key=lambda person: (person.name.lower(), person.id))


def attendances_of(event: Event) -> list[Attendance]:
    """In the order they were recorded, so minutes list attendees as the secretary entered them."""
    query = sa.select(Attendance).where(Attendance.event_id == event.id).order_by(Attendance.id)
    return list(db.session.scalars(query))


def attendees_of(event: Event) -> list[Person]:
    return [attendance.person for attendance in attendances_of(event)]


def set_attendance(event: Event, present: list[Person], now: datetime, actor: Any = None) -> list[Attendance]:
    """Exactly ``present`` were there. People outside the expected list are recorded as walk-ins."""
    require_meeting(event)
    expected = {person.id for person in expected_attendees(event)}
    wanted = {person.id: person for person in present}
    for attendance in attendances_of(event):
        if attendance.person_id not in wanted:
            db.session.delete(attendance)
        else:
            del wanted[attendance.person_id]
    for person in wanted.values():
        db.session.add(Attendance(event_id=event.id, person=person, walk_in=person.id not in expected, created_at=now, updated_at=now))
    db.session.flush()
    return attendances_of(event)


def add_walk_in(event: Event, email: str, name: str | None, organisation: str | None, now: datetime, actor: Any = None) -> Attendance:
    """Record someone who came unannounced (created as a person if new); adding them twice changes nothing."""
    require_meeting(event)
    person = get_or_create_person(email, name, organisation)
    existing = db.session.scalar(sa.select(Attendance).where(Attendance.event_id == event.id, Attendance.person_id == person.id))
    if existing is not None:
        return existing
    attendance = Attendance(event_id=event.id, person=person, walk_in=True, created_at=now, updated_at=now)
    db.session.add(attendance)
    db.session.flush()
    return attendance


# ---------------------------------------------------------------------------------------------------------
# The working copy
# ---------------------------------------------------------------------------------------------------------


def update_minutes(event: Event, data: dict[str, Any], now: datetime, actor: Any = None) -> Minutes:
    """Set the body and whichever structured parts ``data`` names (a part left out stays as it was).

    All or nothing: every part is checked before anything changes, errors name the field
    (``action_items[1].due``). Raises Conflict when the event is not a numbered meeting of a series.
    """
    minutes = minutes_of(event, now)
    unknown = set(data) - {"body", *PART_FIELDS}
    if unknown:
        raise ValidationFailed("Unknown fields.", {name: "unknown field" for name in sorted(unknown)})
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name, clean in _CLEANERS.items():
        if name in data:
            try:
                cleaned[name] = clean(data[name])
            except ValidationFailed as exc:
                errors.update(exc.fields or {name: exc.message})
    if errors:
        raise ValidationFailed("Some fields are not valid.", errors)
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
    for name, rows in (("round_table", minutes.round_table), ("action_items", minutes.action_items), ("deadlines", minutes.deadlines)):
        if name in cleaned:
            rows.clear()
            db.session.flush()
            for position, row in enumerate(cleaned[name]):
                row.position = position
                rows.append(row)
    minutes.next_meeting_event = next_meeting_of(event)


def _clean_body(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationFailed("body must be Markdown text.", {"body": "Markdown text"})
    if len(value) > MAX_BODY:
        raise ValidationFailed("body is too long.", {"body": f"at most {MAX_BODY} characters"})
    return check_characters(value.replace("\r\n", "\n"), "body", multiline=True)


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationFailed(f"{name} must be a list.", {name: "a list"})
    if len(value) > MAX_LIST:
        raise ValidationFailed(f"{name} is too long.", {name: f"at most {MAX_LIST} entries"})
    return value


def _each(value: Any, name: str, clean) -> list[Any]:
    """Clean every entry of a list, collecting the errors of all of them."""
    errors: dict[str, str] = {}
    result = []
    for index, entry in enumerate(_list(value, name)):
        try:
            result.append(clean(entry, f"{name}[{index}]"))
        except ValidationFailed as exc:
            errors.update(exc.fields or {f"{name}[{index}]": exc.message})
    if errors:
        raise ValidationFailed(f"Some {name} are not valid.", errors)
    return result


def _object(entry: Any, field_name: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ValidationFailed(f"{field_name} must be an object.", {field_name: "an object"})
    unknown = set(entry) - allowed
    if unknown:
        raise ValidationFailed("Unknown fields.", {f"{field_name}.{sorted(unknown)[0]}": "unknown field"})
    return entry


def _text(value: Any, field_name: str, max_length: int, required: bool = True, multiline: bool = True) -> str:
    """Trimmed text; control characters are refused (PostgreSQL refuses NUL with an error, not a field
    message), and line breaks too unless ``multiline``."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationFailed(f"{field_name} is required.", {field_name: "required text"})
    if len(value) > max_length:
        raise ValidationFailed(f"{field_name} is too long.", {field_name: f"at most {max_length} characters"})
    return check_characters(value.strip(), field_name, multiline=multiline)


def _link(value: Any, field_name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 2000 or not LINK_PATTERN.match(value.strip()):
        raise ValidationFailed(f"{field_name} must be an http(s) link.", {field_name: "an http:// or https:// link"})
    return value.strip()


def _date(value: Any, field_name: str, required: bool) -> date | None:
    if value in (None, "") and not required:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _fail_date(field_name)
    except ValueError:
        return _fail_date(field_name)


def _fail_date(field_name: str) -> date:
    raise ValidationFailed(f"{field_name} must be a date.", {field_name: "an ISO 8601 date, e.g. 2022-12-07"})


def _clean_round_table_entry(entry: Any, field_name: str) -> RoundTableEntry:
    entry = _object(entry, field_name, {"person", "text"})
    person = person_reference(entry.get("person"), f"{field_name}.person")
    return RoundTableEntry(person=person, text=_text(entry.get("text"), f"{field_name}.text", 20_000, required=False))


def _clean_action_item(entry: Any, field_name: str) -> ActionItem:
    entry = _object(entry, field_name, {"what", "owner", "due"})
    person, text = owner_reference(entry.get("owner"), f"{field_name}.owner")
    what = _text(entry.get("what"), f"{field_name}.what", 1000, multiline=False)
    return ActionItem(what=what, owner_person=person, owner_text=text, due_on=_date(entry.get("due"), f"{field_name}.due", False))


def _clean_deadline(entry: Any, field_name: str) -> Deadline:
    entry = _object(entry, field_name, {"title", "date", "link"})
    title = _text(entry.get("title"), f"{field_name}.title", 500, multiline=False)
    return Deadline(title=title, due_on=_date(entry.get("date"), f"{field_name}.date", True), link=_link(entry.get("link"), f"{field_name}.link"))


def _clean_material(entry: Any, field_name: str) -> dict[str, Any]:
    entry = _object(entry, field_name, {"title", "description", "link"})
    return {
        "title": _text(entry.get("title"), f"{field_name}.title", 500, multiline=False),
        "description": _text(entry.get("description"), f"{field_name}.description", 20_000, required=False),
        "link": _link(entry.get("link"), f"{field_name}.link"),
    }


def _clean_next_meeting(value: Any) -> str | None:
    if value is None:
        return None
    return _text(value, "next_meeting", 300, required=False, multiline=False) or None


_CLEANERS = {
    "body": _clean_body,
    "attendees": lambda v: _each(v, "attendees", person_reference),
    "round_table": lambda v: _each(v, "round_table", _clean_round_table_entry),
    "decisions": lambda v: _each(v, "decisions", lambda e, f: _text(e, f, 5000)),
    "action_items": lambda v: _each(v, "action_items", _clean_action_item),
    "deadlines": lambda v: _each(v, "deadlines", _clean_deadline),
    "materials": lambda v: _each(v, "materials", _clean_material),
    "next_meeting": _clean_next_meeting,
}


def next_meeting_of(event: Event) -> Event | None:
    """The series' next event after this one (by start), which the minutes link to when it exists."""
    if event.series_id is None:
        return None
    query = sa.select(Event).where(Event.series_id == event.series_id, Event.starts_at > event.starts_at, Event.id != event.id)
    return db.session.scalar(query.order_by(Event.starts_at, Event.id).limit(1))


def draft_from_agenda(event: Event, now: datetime, actor: Any = None) -> Minutes:
    """Start the body with one section per agenda item (its time and owner). Refuses to overwrite text.

    The round-table item gets no section: its entries are a structured part shown in their own section.
    """
    minutes = minutes_of(event, now)
    if not minutes.can_draft_from_agenda():
        raise Conflict("The minutes already have text; drafting from the agenda would overwrite it.")
    minutes.body = agenda_markdown(event)
    minutes.next_meeting_event = next_meeting_of(event)
    minutes.updated_at = now
    db.session.flush()
    return minutes


def agenda_markdown(event: Event) -> str:
    from eventhub.agenda.models import AgendaItemKind

    sections = []
    for _day, items in agenda_days(get_agenda(event), event.timezone):
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
# Comments, publication, versions
# ---------------------------------------------------------------------------------------------------------


def mark_circulated(minutes: Minutes, now: datetime) -> list[Person]:
    """Open the draft for comments; returns who should be told (the attendees, else the expected list)."""
    minutes.circulated_at = now
    db.session.flush()
    return attendees_of(minutes.event) or expected_attendees(minutes.event)


def add_comment(minutes: Minutes, person: Person, body: Any, now: datetime) -> MinutesComment:
    text = _text(body, "body", 10_000)
    comment = MinutesComment(minutes_id=minutes.id, person=person, body=text, created_at=now, updated_at=now)
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_on(minutes: Minutes) -> list[MinutesComment]:
    query = sa.select(MinutesComment).where(MinutesComment.minutes_id == minutes.id).order_by(MinutesComment.created_at, MinutesComment.id)
    return list(db.session.scalars(query))


def publish_version(event: Event, now: datetime, actor: Person | None = None, change_note: str | None = "") -> MinutesVersion:
    """Freeze the working copy as the next version. Raises ValidationFailed for an empty body and Conflict
    when nothing changed since the last published version (a correction must correct something)."""
    minutes = get_minutes(event)
    if minutes is None or not minutes.body.strip():
        raise ValidationFailed("Write the minutes before publishing them.", {"body": "required before publishing"})
    note = _text(change_note or "", "change_note", 1000, required=False)
    parts = snapshot(minutes)
    latest = minutes.versions[-1] if minutes.versions else None
    if latest is not None and latest.body == minutes.body and latest.parts == parts:
        raise Conflict("Nothing changed since the last published version.")
    version = MinutesVersion(
        minutes=minutes, number=minutes.published_version + 1, body=minutes.body, parts=parts,
        published_at=now, published_by=actor, change_note=note,
    )  # fmt: skip
    db.session.add(version)
    minutes.published_version = version.number
    db.session.flush()
    return version


def snapshot(minutes: Minutes) -> dict[str, Any]:
    """Everything the published page shows besides the body, as JSON: a later edit of a person or an agenda
    item does not change what a published version says."""
    event = minutes.event
    agenda = get_agenda(event)
    next_event = next_meeting_of(event)
    return {
        "title": event.title,
        "number": event.number,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "timezone": event.timezone,
        "location": event.location,
        "online": bool(event.online_url),
        "attendees": [_person_json(person) for person in attendees_of(event)],
        "agenda": [
            {"starts_at": item.starts_at.isoformat(), "ends_at": item.ends_at.isoformat(), "title": item.title,
             "owner": item.owner_label, "kind": item.kind.value}
            for _day, items in agenda_days(agenda, event.timezone) for item in items
        ],  # fmt: skip
        "round_table": [{**_person_json(entry.person), "text": entry.text} for entry in minutes.round_table],
        "decisions": list(minutes.decisions or []),
        "action_items": [
            {"what": item.what, "owner": item.owner_label, "due": item.due_on.isoformat() if item.due_on else None}
            for item in minutes.action_items
        ],
        "deadlines": [{"title": d.title, "date": d.due_on.isoformat(), "link": d.link} for d in minutes.deadlines],
        "materials": [dict(material) for material in minutes.materials or []],
        "next_meeting": {
            "text": minutes.next_meeting_text,
            "number": next_event.number if next_event else None,
            "starts_at": next_event.starts_at.isoformat() if next_event else None,
        },
    }


def _person_json(person: Person) -> dict[str, Any]:
    return {"name": person.name, "organisation": person.organisation.name if person.organisation else None}


@dataclass(frozen=True)
class PublishedMinutes:
    """A published meeting in a series' archive."""

    event: Event
    minutes: Minutes
    version: MinutesVersion


def published_minutes_of(series: Series) -> list[PublishedMinutes]:
    """The series' published minutes, newest meeting first, each with its latest version."""
    query = (
        sa.select(Minutes, MinutesVersion)
        .join(Minutes.event)
        .join(MinutesVersion, sa.and_(MinutesVersion.minutes_id == Minutes.id, MinutesVersion.number == Minutes.published_version))
        .where(Event.series_id == series.id, Minutes.published_version > 0)
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    return [PublishedMinutes(minutes.event, minutes, version) for minutes, version in db.session.execute(query)]


def get_published(series: Series, number: int, version_number: int | None = None) -> PublishedMinutes:
    """Meeting ``number``'s published minutes (the latest version, or ``version_number``); NotFound otherwise."""
    event = db.session.scalar(sa.select(Event).where(Event.series_id == series.id, Event.number == number))
    minutes = get_minutes(event) if event is not None else None
    if minutes is None or minutes.published_version == 0:
        raise NotFound("These minutes are not published.")
    wanted = version_number or minutes.published_version
    version = next((v for v in minutes.versions if v.number == wanted), None)
    if version is None:
        raise NotFound("No such version of these minutes.")
    return PublishedMinutes(event, minutes, version)


def version_diff(minutes: Minutes, version: MinutesVersion) -> str:
    """What ``version`` changed in the Markdown compared with the version before it ("" for the first)."""
    earlier = next((v for v in minutes.versions if v.number == version.number - 1), None)
    if earlier is None:
        return ""
    lines = difflib.unified_diff(
        earlier.body.splitlines(), version.body.splitlines(), f"v{earlier.number}", f"v{version.number}", lineterm=""
    )
    return "\n".join(lines)


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
            {"what": i.what, "owner": owner_value(i.owner_person, i.owner_text), "due": i.due_on.isoformat() if i.due_on else None}
            for i in minutes.action_items
        ],
        "deadlines": [{"title": d.title, "date": d.due_on.isoformat(), "link": d.link} for d in minutes.deadlines],
        "materials": [dict(m) for m in minutes.materials or []],
        "next_meeting": minutes.next_meeting_text,
        "published_version": minutes.published_version,
        "circulated_at": minutes.circulated_at.isoformat() if minutes.circulated_at else None,
    }


# ---------------------------------------------------------------------------------------------------------
# What the minutes send: circulation, publication, action-item reminders
# ---------------------------------------------------------------------------------------------------------

ACTION_ITEM_LEAD = timedelta(days=2)


def circulate_minutes(event: Event, now: datetime, actor: Any = None) -> int:
    """Email the attendees a link to comment on the draft; once per upcoming version. Returns how many queued."""
    minutes = minutes_of(event, now)
    if not minutes.body.strip():
        raise ValidationFailed("Write the minutes before circulating them.", {"body": "required before circulating"})
    queued = 0
    for person in mark_circulated(minutes, now):
        key = f"minutes-draft:{minutes.id}:{minutes.published_version + 1}:{person.id}"
        email = emails.render_minutes_circulated(event, person)
        queued += queue_email(dedup_key=key, kind="minutes_circulated", recipient=person, email=email, now=now, event=event) is not None
    return queued


def publish_minutes(event: Event, now: datetime, actor: Person | None = None, change_note: str | None = "") -> MinutesVersion:
    """Publish the next version and email the series' members, each in their language (once per version)."""
    version = publish_version(event, now, actor, change_note)
    for membership in sorted(event.series.memberships, key=lambda m: m.person_id):
        person = membership.person
        key = f"minutes-published:{version.minutes_id}:{version.number}:{person.id}"
        email = emails.render_minutes_published(event, version, person)
        queue_email(dedup_key=key, kind="minutes_published", recipient=person, email=email, now=now, event=event)
    db.session.flush()
    return version


def run_action_item_reminders(now: datetime, lead: timedelta = ACTION_ITEM_LEAD) -> int:
    """Queue one reminder per action item of published minutes whose owner is a person and whose due date is
    at most ``lead`` ahead (in the meeting's time zone). Safe to run twice: the dedup key names the item and
    its due date, so moving the date makes a new reminder. Returns how many were queued."""
    horizon = (now + lead).date() + timedelta(days=1)  # zones east of UTC may already be a day ahead
    query = (
        sa.select(ActionItem)
        .join(ActionItem.minutes)
        .where(
            Minutes.published_version > 0,
            ActionItem.owner_person_id.is_not(None),
            ActionItem.due_on.is_not(None),
            ActionItem.due_on >= now.date() - timedelta(days=1),
            ActionItem.due_on <= horizon,
        )
        .order_by(ActionItem.id)
    )
    queued = 0
    for item in db.session.scalars(query):
        event = item.minutes.event
        today = now.astimezone(event.zone).date()
        if not today <= item.due_on <= (now + lead).astimezone(event.zone).date():
            continue
        key = f"action-item:{item.id}:{item.due_on.isoformat()}"
        email = emails.render_action_item_reminder(item, event, item.owner_person, item.due_on)
        queued += queue_email(dedup_key=key, kind="action_item_reminder", recipient=item.owner_person, email=email, now=now, event=event) is not None
    return queued
