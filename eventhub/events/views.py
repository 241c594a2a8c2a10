"""Public pages: home, event, series. Members-only things are a 404 for whoever may not see them, so their
existence is not revealed."""

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from eventhub import clock, labels
from eventhub.accounts.permissions import visible_events_clause
from eventhub.agenda.presenters import agenda_for_page
from eventhub.agenda.services import find_agenda
from eventhub.calendar.presenters import feed_links_for
from eventhub.events import queries
from eventhub.events.presenters import event_links, series_links
from eventhub.events.services import get_event_with_series
from eventhub.i18n import switcher_context
from eventhub.materials.presenters import materials_for_page
from eventhub.registration.presenters import registration_links
from eventhub.web import viewable_event, viewable_series

bp = Blueprint("events", __name__)
bp.add_app_template_filter(labels.label, "label")


@bp.app_context_processor
def layout_context() -> dict[str, Any]:
    """What base.html needs on every page, errors included: the language the page is in, for the switcher."""
    return switcher_context()


@bp.get("/")
def home():
    """Upcoming public events and the public series."""
    events = queries.upcoming_events(clock.now(), visible=visible_events_clause(current_user))
    return render_template("events/home.html", events=events, series_list=queries.public_series())


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    """One event, with its times in the event's own time zone."""
    event = viewable_event(event_id, get_event_with_series)
    viewer = current_user._get_current_object()
    agenda = find_agenda(event)  # once: the agenda section and the materials' groups both show it
    return render_template(
        "events/event.html",
        event=event,
        agenda=agenda_for_page(event, viewer, agenda),
        registration_links=registration_links(event, viewer, clock.now()),
        feed_links=feed_links_for(event=event),
        links=event_links(event, viewer),
        materials=materials_for_page(event, viewer, agenda),
    )


@bp.get("/series/<slug>")
def series(slug: str):
    """A series with its upcoming events and its past ones, newest first."""
    series = viewable_series(slug)
    now = clock.now()
    visible = visible_events_clause(current_user)
    upcoming = queries.upcoming_events_of(series, now, visible=visible)
    past = queries.past_events_of(series, now, visible=visible)
    return render_template(
        "events/series.html",
        series=series,
        upcoming=upcoming,
        past=past,
        feed_links=feed_links_for(series=series),
        links=series_links(series, current_user),
    )
