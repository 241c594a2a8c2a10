"""A person's name and address in text written for others: published minutes and other people's emails.

Published minutes are kept as the secretary wrote them (the Markdown body is theirs), but their structured parts
are generated from people's rows: the attendance list (from the attendance taken), the round table and the
owners of action items and agenda items. Only there, and only in the minutes of meetings the erased person's
rows belong to, is their name replaced: by an empty name, which the minutes pages show as "(name erased)", the
same as a stand-in. Other people's emails (an organisers' digest listing requests, a minutes email) get the
address and the name replaced by ``ERASED``, queued ones included (they still go out, without the person).
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.minutes.models import MinutesVersion
from eventhub.privacy import holdings

ERASED = "[erased]"
PERSON_PARTS = ("attendees", "round_table")
OWNER_PARTS = ("action_items", "agenda")


def forget_in_published_minutes(person: Person, minutes_ids: Iterable[int]) -> int:
    """Replace ``person`` in the generated parts of every published version of these minutes; returns how many
    versions changed. Matched by name (narrowed by organisation when two attendees share the name)."""
    changed = 0
    organisation = person.organisation.name if person.organisation else None
    owners = {label for label in (person.name, person.display_name) if label}
    query = sa.select(MinutesVersion).where(MinutesVersion.minutes_id.in_(list(minutes_ids)))
    for version in db.session.scalars(query.order_by(MinutesVersion.id)):
        parts = copy.deepcopy(version.parts or {})
        replaced = sum(_forget_entries(parts.get(key) or [], person.name, organisation) for key in PERSON_PARTS)
        replaced += sum(_forget_owner(parts.get(key) or [], owners) for key in OWNER_PARTS)
        if replaced:
            version.parts = parts
            changed += 1
    db.session.flush()
    return changed


def _forget_entries(entries: list[dict[str, Any]], name: str, organisation: str | None) -> int:
    matches = [entry for entry in entries if name and entry.get("name") == name]
    if len(matches) > 1:
        matches = [entry for entry in matches if entry.get("organisation") == organisation] or matches
    for entry in matches:
        entry["name"], entry["organisation"] = "", None
    return len(matches)


def _forget_owner(items: list[dict[str, Any]], owners: set[str]) -> int:
    matches = [item for item in items if item.get("owner") in owners]
    for item in matches:
        item["owner"] = ""
    return len(matches)


def redact_emails_to_others(address: str, person: Person | None, names: list[str], event_ids: set[int]) -> int:
    """Remove the address (anywhere) and the names (in emails about the person's events) from emails to other
    people; returns how many rows changed. Names are replaced as whole words, so "Bo" leaves "Board" alone."""
    columns = [OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html, OutboxMessage.attachments]
    about_events = sa.and_(OutboxMessage.event_id.in_(event_ids), holdings.mentions(columns, names))
    candidates = sa.or_(holdings.mentions(columns, [address]), about_events if event_ids else sa.false())
    query = sa.select(OutboxMessage).where(sa.not_(holdings.emails_to(address, person)), candidates)
    patterns = _patterns(address, names)
    changed = 0
    for message in db.session.scalars(query.order_by(OutboxMessage.id)):
        before = (message.subject, message.body_text, message.body_html, message.attachments)
        message.subject = _redacted(message.subject, patterns)
        message.body_text = _redacted(message.body_text, patterns)
        message.body_html = _redacted(message.body_html, patterns)
        message.attachments = [
            {**part, "content": _redacted(str(part.get("content", "")), patterns)} for part in message.attachments or []
        ]
        changed += before != (message.subject, message.body_text, message.body_html, message.attachments)
    db.session.flush()
    return changed


def _patterns(address: str, names: list[str]) -> list[re.Pattern[str]]:
    """The address in any case, and each name as written, as HTML writes it and as a whole word."""
    patterns = [re.compile(re.escape(address), re.IGNORECASE)]
    for name in {name for name in names if name}:
        for form in {name, html.escape(name)}:
            patterns.append(re.compile(rf"(?<!\w){re.escape(form)}(?!\w)"))
    return patterns


def _redacted(text: str, patterns: list[re.Pattern[str]]) -> str:
    for pattern in patterns:
        text = pattern.sub(ERASED, text)
    return text
