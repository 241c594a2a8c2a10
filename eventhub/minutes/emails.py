"""The emails of the minutes: published (to the series' members), draft circulated (to the attendees) and the
action-item reminder (to its owner). Rendering only; the services decide who gets what and queue it."""

from __future__ import annotations

from datetime import date

from flask import current_app

from eventhub.events.models import Event, Person
from eventhub.i18n import format_day
from eventhub.mail.services import RenderedEmail, render_email
from eventhub.minutes.models import ActionItem, MinutesVersion
from eventhub.minutes.presenters import version_view
from eventhub.urls import absolute_url


def language_of(person: Person) -> str:
    languages = current_app.config["LANGUAGES"]
    return person.language if person.language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def minutes_url(event: Event, version: int | None = None) -> str:
    if version is None:
        return absolute_url("minutes.published", slug=event.series.slug, number=event.number)
    return absolute_url("minutes.version", slug=event.series.slug, number=event.number, version=version)


def render_minutes_published(event: Event, version: MinutesVersion, person: Person) -> RenderedEmail:
    """The minutes themselves (sanitised) with a link to the page, in the member's language."""
    language = language_of(person)
    return render_email(
        "minutes_published",
        language,
        event=event,
        person=person,
        version=version,
        view=version_view(version.body, version.parts),
        day=format_day(event.starts_at, event.timezone, fmt="long", locale=language),
        url=minutes_url(event),
    )


def render_minutes_circulated(event: Event, person: Person) -> RenderedEmail:
    language = language_of(person)
    return render_email(
        "minutes_circulated",
        language,
        event=event,
        person=person,
        day=format_day(event.starts_at, event.timezone, fmt="long", locale=language),
        url=absolute_url("minutes.comments", event_id=event.id),
    )


def render_action_item_reminder(item: ActionItem, event: Event, person: Person, due: date) -> RenderedEmail:
    language = language_of(person)
    return render_email(
        "action_item_reminder",
        language,
        item=item,
        event=event,
        person=person,
        due=format_day(due, fmt="long", locale=language),
        url=minutes_url(event),
    )
