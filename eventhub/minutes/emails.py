"""The emails of the minutes: published (to the series' members), draft circulated (to the attendees) and the
action-item reminder (to its owner). Who gets what, queued in the outbox with dedup keys, then the rendering.

Functions take ``now``, flush and never commit; ``run_action_item_reminders`` is a planner step."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from eventhub.accounts.links import personal_link, personal_link_to
from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.errors import ValidationFailed
from eventhub.events.models import Event, Person
from eventhub.extensions import db
from eventhub.i18n import format_day, reader_language
from eventhub.mail import lists
from eventhub.mail.services import RenderedEmail, queue_email, render_email
from eventhub.materials.presenters import MaterialEntry, material_links
from eventhub.minutes.models import ActionItem, Minutes, MinutesVersion
from eventhub.minutes.permissions import can_view_minutes
from eventhub.minutes.presenters import version_view
from eventhub.minutes.publication import publish_version
from eventhub.minutes.services import get_or_create_minutes, mark_circulated
from eventhub.texts import lazy_text as _l
from eventhub.urls import absolute_url

ACTION_ITEM_LEAD = timedelta(days=2)


def circulate_minutes(event: Event, now: datetime, actor: Any = None) -> int:
    """Email the attendees a link to comment on the draft; once per upcoming version. Returns how many queued.
    Recorded in the audit log for ``actor`` (the account)."""
    minutes = get_or_create_minutes(event, now)
    if not minutes.body.strip():
        raise ValidationFailed(
            _l("Write the minutes before circulating them."), {"body": _l("required before circulating")}
        )
    queued = 0
    for person in mark_circulated(minutes, now):
        key = f"minutes-draft:{minutes.id}:{minutes.published_version + 1}:{person.id}"
        email = render_minutes_circulated(event, person, now)
        queued += (
            queue_email(dedup_key=key, kind="minutes_circulated", recipient=person, email=email, now=now, event=event)
            is not None
        )
    audit.record(
        AuditAction.MINUTES_CIRCULATED, actor=actor, now=now, event=event, subject=event.title,
        fields={"version": (None, minutes.published_version + 1), "emails": (None, queued)},
    )  # fmt: skip
    return queued


def publish_minutes(
    event: Event, now: datetime, actor: Person | None = None, change_note: str | None = "", *, account: Any = None
) -> MinutesVersion:
    """Publish the next version and email the series' members, each in their language (once per version), as
    list mail (List-Id, one-click unsubscribe); members who unsubscribed from the series' mail are skipped.
    ``actor`` is the person named as publisher; ``account`` the account acting, for the audit log."""
    version = publish_version(event, now, actor, change_note)
    audit.record(
        AuditAction.MINUTES_PUBLISHED, actor=account, now=now, event=event, subject=event.title,
        fields={"version": (version.number - 1 or None, version.number), "change_note": (None, version.change_note)},
    )  # fmt: skip
    for person in publication_recipients(event):
        key = f"minutes-published:{version.minutes_id}:{version.number}:{person.id}"
        email = render_minutes_published(event, version, person, now)
        headers = lists.list_headers(event.series, person.id)
        queue_email(
            dedup_key=key,
            kind="minutes_published",
            recipient=person,
            email=email,
            now=now,
            event=event,
            headers=headers,
        )
    db.session.flush()
    return version


def publication_recipients(event: Event) -> list[Person]:
    """Who the publication email goes to: the series' members, less those who unsubscribed from its mail
    (the confirmation page counts them before the secretary publishes)."""
    members = [membership.person for membership in sorted(event.series.memberships, key=lambda m: m.person_id)]
    return lists.subscribed(members, event.series)


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
        email = render_action_item_reminder(item, event, item.owner_person, item.due_on)
        queued += (
            queue_email(
                dedup_key=key,
                kind="action_item_reminder",
                recipient=item.owner_person,
                email=email,
                now=now,
                event=event,
            )
            is not None
        )
    return queued


def minutes_url(event: Event, version: int | None = None) -> str:
    if version is None:
        return absolute_url("minutes.published", slug=event.series.slug, number=event.number)
    return absolute_url("minutes.version", slug=event.series.slug, number=event.number, version=version)


def reader_minutes_url(event: Event, person: Person, now: datetime) -> str:
    """The link a member is sent to the published minutes: the page itself when anyone may read it, else a
    personal link that signs them in on the way (members without a password would get a 404). Public minutes
    keep the plain link on purpose: a forwarded email must not sign the next reader in as the member."""
    if can_view_minutes(None, event):
        return minutes_url(event)
    return personal_link_to(person, now, "minutes.published", slug=event.series.slug, number=event.number)


def reader_material_links(event: Event, person: Person, now: datetime) -> list[MaterialEntry]:
    """The meeting's materials as the member is sent them: plain links when anyone may read the minutes, else
    each file behind a personal link (as ``reader_minutes_url``), so a member without a password gets the file,
    not a 404. Links to other sites stay as they are."""
    entries = material_links(event, absolute=True)
    if can_view_minutes(None, event):
        return entries
    return [
        replace(entry, href=personal_link(person, entry.href, now)) if entry.is_file else entry for entry in entries
    ]


def render_minutes_published(event: Event, version: MinutesVersion, person: Person, now: datetime) -> RenderedEmail:
    """The minutes themselves (sanitised) with a link to the page that works for the member, in their language."""
    language = reader_language(person, event)
    return render_email(
        "minutes_published",
        language,
        event=event,
        person=person,
        version=version,
        view=version_view(version.body, version.parts),
        day=format_day(event.starts_at, event.timezone, fmt="long", locale=language),
        url=reader_minutes_url(event, person, now),
        materials=reader_material_links(event, person, now),
    )


def render_minutes_circulated(event: Event, person: Person, now: datetime) -> RenderedEmail:
    """The comment link is personal: it signs the attendee in (creating a member account for someone who has
    none; ``accounts.links``), since only attendees and members may comment."""
    language = reader_language(person, event)
    return render_email(
        "minutes_circulated",
        language,
        event=event,
        person=person,
        day=format_day(event.starts_at, event.timezone, fmt="long", locale=language),
        url=personal_link_to(person, now, "minutes.comments", event_id=event.id),
    )


def render_action_item_reminder(item: ActionItem, event: Event, person: Person, due: date) -> RenderedEmail:
    language = reader_language(person, event)
    return render_email(
        "action_item_reminder",
        language,
        item=item,
        event=event,
        person=person,
        due=format_day(due, fmt="long", locale=language),
        url=minutes_url(event),
    )
