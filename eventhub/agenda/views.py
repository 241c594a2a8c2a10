"""The agenda editor page. Load → authorize → one service call → commit → redirect.

Anonymous visitors are sent to log in, people who may see the event but not edit its agenda get 403, and events
they may not see are a 404.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from eventhub import clock
from eventhub.agenda import services
from eventhub.agenda.forms import BLANK_ROWS, AgendaForm, parse_clock
from eventhub.agenda.models import Agenda
from eventhub.agenda.permissions import can_edit_agenda
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.events.people import owner_value
from eventhub.extensions import db
from eventhub.i18n import format_day, format_time_in_zone, zone_city
from eventhub.web import apply_domain_error, load_event_for

bp = Blueprint("agenda", __name__)


@bp.route("/events/<int:event_id>/agenda/edit", methods=["GET", "POST"])
def edit(event_id: int):
    """Edit the whole agenda in one form; blank rows are ignored."""
    event = load_event_for(event_id, can_edit_agenda, joinedload(Event.series))
    agenda = services.find_agenda(event)
    form = AgendaForm() if _submitted() else AgendaForm(data=_form_data(event, agenda))
    more_rows = _submitted() and form.add_rows.data
    _prepare_rows(form, _days(event, agenda), BLANK_ROWS + (1 if more_rows else 0))
    if not more_rows and form.validate_on_submit():
        rows = [row for row in form.items.entries if (row.form.title.data or "").strip()]
        try:
            _save(event, [_item(row.form) for row in rows], form)
        except DomainError as exc:
            apply_domain_error(form, exc, rows=[row.form for row in rows])
        else:
            flash(_("The agenda is saved."), "success")
            return redirect(url_for("agenda.edit", event_id=event.id))
    return render_template("agenda/edit.html", event=event, agenda=agenda, form=form, zone=zone_city(event.timezone))


def _save(event: Event, items: list[dict[str, Any]], form: AgendaForm) -> None:
    """Replace the items (and publish when asked) as one unit of work."""
    now = clock.now()
    services.replace_agenda(event, items, now, form.allows_parallel.data)
    if form.publish.data:
        services.publish_agenda(event, now, current_user._get_current_object())
    db.session.commit()


def _submitted() -> bool:
    return request.method == "POST"


def _days(event: Event, agenda: Agenda | None) -> list[date]:
    """The meeting's local days, and any other day an item is on (so no item loses its day)."""
    first, last = (moment.astimezone(event.zone).date() for moment in (event.starts_at, event.ends_at))
    days = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    days.update(day for day, _items in services.agenda_days(agenda, event.timezone))
    return sorted(days)


def _prepare_rows(form: AgendaForm, days: list[date], blank_rows: int) -> None:
    """Offer the days on every row and end with ``blank_rows`` empty rows on the last filled row's day."""
    filled = [entry for entry in form.items.entries if entry.form.title.data]
    while len(form.items.entries) < len(filled) + blank_rows:
        form.items.append_entry()
    last_day = filled[-1].form.day.data if filled else days[0].isoformat()
    for entry in form.items.entries:
        entry.form.day.choices = [(day.isoformat(), format_day(day, fmt="medium")) for day in days]
        if not entry.form.day.data or entry.form.day.data == "None":
            entry.form.day.data = last_day


def _form_data(event: Event, agenda: Agenda | None) -> dict[str, Any]:
    items = []
    for day, day_items in services.agenda_days(agenda, event.timezone):
        for item in day_items:
            items.append(
                {
                    "day": day.isoformat(),
                    "starts_at": format_time_in_zone(item.starts_at, event.timezone),  # 14:00, Danish 14.00
                    "ends_at": format_time_in_zone(item.ends_at, event.timezone),
                    "title": item.title,
                    "owner": owner_value(item.owner_person, item.owner_text) or "",
                    "kind": item.kind.value,
                    "description": item.description,
                }
            )
    return {"items": items, "allows_parallel": bool(agenda and agenda.allows_parallel)}


def _item(row) -> dict[str, Any]:
    """A form row as the service's input: naive datetimes are wall-clock time in the event's zone (a missing
    time is left out, so the service names the field)."""
    day = date.fromisoformat(row.day.data)
    starts, ends = parse_clock(row.starts_at.data), parse_clock(row.ends_at.data)
    return {
        "starts_at": datetime.combine(day, starts) if starts else None,
        "ends_at": datetime.combine(day, ends) if ends else None,
        "title": row.title.data,
        "owner": row.owner.data,
        "kind": row.kind.data,
        "description": row.description.data,
    }
