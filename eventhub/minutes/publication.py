"""Publication of minutes: each publication freezes the working copy as a numbered version (body plus a JSON
snapshot of everything else the page shows), the series' archive of published meetings, and what a version
changed compared with the one before.

Functions take ``now``, flush and never commit.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from eventhub.agenda.services import agenda_days, find_agenda
from eventhub.errors import Conflict, NotFound, ValidationFailed
from eventhub.events.models import Event, Person, Series
from eventhub.extensions import db
from eventhub.minutes.attendance import attendees_of
from eventhub.minutes.models import Minutes, MinutesVersion
from eventhub.minutes.services import find_minutes, next_meeting_of
from eventhub.texts import lazy_text as _l
from eventhub.validation import optional_text


def publish_version(
    event: Event, now: datetime, actor: Person | None = None, change_note: str | None = ""
) -> MinutesVersion:
    """Freeze the working copy as the next version. Raises ValidationFailed for an empty body and Conflict
    when nothing changed since the last published version (a correction must correct something)."""
    minutes = find_minutes(event)
    if minutes is None or not minutes.body.strip():
        raise ValidationFailed(
            _l("Write the minutes before publishing them."), {"body": _l("required before publishing")}
        )
    note = optional_text(change_note, "change_note", 1000, multiline=True) or ""
    parts = snapshot(minutes)
    latest = minutes.versions[-1] if minutes.versions else None
    if latest is not None and latest.body == minutes.body and latest.parts == parts:
        raise Conflict(_l("Nothing changed since the last published version."))
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
    agenda = find_agenda(event)
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
            {
                "starts_at": item.starts_at.isoformat(),
                "ends_at": item.ends_at.isoformat(),
                "title": item.title,
                "owner": item.owner_label,
                "kind": item.kind.value,
            }
            for _day, items in agenda_days(agenda, event.timezone)
            for item in items
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
    """The series' published minutes, newest meeting first, each with its latest version; events and every
    version come in the same few statements, however long the archive."""
    query = (
        sa.select(Minutes, MinutesVersion)
        .join(Minutes.event)
        .join(
            MinutesVersion,
            sa.and_(MinutesVersion.minutes_id == Minutes.id, MinutesVersion.number == Minutes.published_version),
        )
        .where(Event.series_id == series.id, Minutes.published_version > 0)
        .options(contains_eager(Minutes.event), selectinload(Minutes.versions))
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    return [PublishedMinutes(minutes.event, minutes, version) for minutes, version in db.session.execute(query)]


def get_published(series: Series, number: int, version_number: int | None = None) -> PublishedMinutes:
    """Meeting ``number``'s published minutes (the latest version, or ``version_number``); NotFound otherwise."""
    event = db.session.scalar(sa.select(Event).where(Event.series_id == series.id, Event.number == number))
    minutes = find_minutes(event) if event is not None else None
    if minutes is None or minutes.published_version == 0:
        raise NotFound(_l("These minutes are not published."))
    wanted = version_number or minutes.published_version
    version = next((v for v in minutes.versions if v.number == wanted), None)
    if version is None:
        raise NotFound(_l("No such version of these minutes."))
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
