"""The organiser's pages for creating, editing (moving) and cancelling an event.

They save through the same services as the API (``create_event``, ``update_event``, ``cancel_event``), so a moved
or cancelled event sends the same emails and calendar updates; a refused change shows next to its field and
nothing is saved. For the people who manage the event (the organisers of its series, its creator if it has none,
admins): anyone else gets a 403, or a 404 for an event they may not see. An event goes only into a series the
organiser manages.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from eventhub import clock
from eventhub.accounts.permissions import can_manage_event, can_manage_events, can_manage_series, managed_series_clause
from eventhub.errors import DomainError
from eventhub.events import queries, services
from eventhub.events.forms import DEFAULT_ZONE, EventForm, form_data_of
from eventhub.events.forms_settings import (
    default_language_name,
    default_offsets_text,
    default_retention_text,
    describe_offsets,
    describe_retention,
    language_choices,
    language_name,
)
from eventhub.events.models import Event, Series
from eventhub.events.next_meeting import next_meeting_draft
from eventhub.events.reminder_offsets import resolve_offsets
from eventhub.extensions import db
from eventhub.registration.capacity import CapacityDecisionNeeded, update_event_seats
from eventhub.registration.forms import OverCapacityForm
from eventhub.registration.services import registrants_to_notify_count
from eventhub.web import ConfirmForm, apply_domain_error, load_event_for, viewable_series

bp = Blueprint("events_manage", __name__)


def _managed_event(event_id: int) -> Event:
    """The event for whoever manages it: 404 if hidden, login for anonymous visitors, 403 for everyone else."""
    return load_event_for(event_id, can_manage_event, joinedload(Event.series))


def _series_choices() -> list:
    """The series the current user may put an event in: those they manage."""
    return queries.list_series(visible=managed_series_clause(current_user))


def _series_is_offered(form: EventForm) -> bool:
    """Whether the chosen series is one of the offered ones (the choice list is not checked by the form, so a
    forged slug is refused here, next to the field)."""
    slug = form.series.data
    if slug and slug not in {choice.value for choice in form.series.choices}:
        form.series.errors = [*form.series.errors, _("Choose a series you organise.")]
        return False
    return True


def _actor():
    return current_user._get_current_object()


def _render_form(form: EventForm, event: Event | None, series: Series | None, **capacity_step):
    """The form; ``capacity_step`` (``seats``, ``shortfall``) adds the question a lowered capacity asks."""
    code = (409 if capacity_step else 422) if request.method == "POST" else 200
    return render_template("events_manage/edit.html", form=form, event=event, series=series, **capacity_step), code


@bp.route("/manage/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    """A new event; ``?series=<slug>`` preselects the series (and its usual time zone), ``?after=<event id>``
    proposes the meeting after that one (the "next meeting" action)."""
    if not can_manage_events(current_user):
        abort(403)
    data, series = _new_event_data()
    offsets, days = data.pop("reminder_offsets", None), data.pop("retention_days", None)
    form = _offer(EventForm(data=data), series, offsets, data["timezone"], days)
    if form.validate_on_submit() and _series_is_offered(form):
        try:
            event = services.create_event(services.EventInput(**form.values()), now=clock.now(), actor=_actor())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Event created."), "success")
            return redirect(url_for("events.event", event_id=event.id))
    return _render_form(form, None, series)


def _new_event_data() -> tuple[dict, Series | None]:
    """The new-event form's starting values and the series they belong to."""
    after = request.args.get("after", type=int)
    if after is not None:
        source = _managed_event(after)
        return next_meeting_draft(source), source.series
    data: dict = {"timezone": DEFAULT_ZONE, "kind": "meeting"}
    preselected = request.args.get("series")
    if not preselected:
        return data, None
    series = viewable_series(preselected)
    if not can_manage_series(current_user, series):
        abort(403)
    data.update(series=series.slug, timezone=queries.usual_timezone(series) or DEFAULT_ZONE)
    return data, series


@bp.route("/events/<int:event_id>/manage/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    """Change or move an event: a new time, place or status emails the registrants an updated calendar entry."""
    event = _managed_event(event_id)
    data = form_data_of(event)
    offsets, days = data.pop("reminder_offsets", None), data.pop("retention_days", None)
    form = _offer(EventForm(data=data), event.series, offsets, event.timezone, days)
    seats = OverCapacityForm()
    if form.validate_on_submit() and _series_is_offered(form):
        try:
            update_event_seats(event, form.values(), seats.over_capacity.data, current_user, clock.now())
        except CapacityDecisionNeeded as exc:
            db.session.rollback()  # nothing is saved until the organiser has chosen
            return _render_form(form, event, event.series, seats=seats, shortfall=exc)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Event saved."), "success")
            return redirect(url_for("events.event", event_id=event_id))
    return _render_form(form, event, event.series)


def _offer(
    form: EventForm, series: Series | None, offsets: list[int] | None, zone: str, retention_days: int | None
) -> EventForm:
    """The choices of the form, and what inheriting from ``series`` means for reminders, language and retention."""
    usual = queries.usual_timezone(series) if series is not None else None
    form.offer(_series_choices(), usual or zone, usual=usual is not None)
    if series is not None:
        inherited = describe_offsets(resolve_offsets(None, series.reminder_offsets))
        language = language_name(series.language) if series.language else default_language_name()
        form.offer_reminders(_("As the series: %(offsets)s", offsets=inherited), offsets)
        form.language.choices = language_choices(_("As the series: %(language)s", language=language))
        kept = describe_retention(series.retention_days) if series.retention_days else default_retention_text()
        form.offer_retention(_("As the series: %(period)s", period=kept), retention_days)
    else:
        form.offer_reminders(_("As the series, else the default: %(offsets)s", offsets=default_offsets_text()), offsets)
        form.language.choices = language_choices(
            _("As the series, else the site's default (%(language)s)", language=default_language_name())
        )
        form.offer_retention(
            _("As the series, else the site's default: %(period)s", period=default_retention_text()), retention_days
        )
    return form


@bp.route("/events/<int:event_id>/manage/cancel", methods=["GET", "POST"])
def cancel_event(event_id: int):
    """Ask first, saying how many people will be emailed; then cancel (registrants get a calendar CANCEL)."""
    event = _managed_event(event_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.cancel_event(event, now=clock.now(), actor=_actor())
        db.session.commit()
        flash(_("Event cancelled; the registrants are being told."), "success")
        return redirect(url_for("events.event", event_id=event_id))
    code = 400 if request.method == "POST" else 200
    return render_template(
        "events_manage/cancel.html", event=event, form=form, recipients=registrants_to_notify_count(event)
    ), code
