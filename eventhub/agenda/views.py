"""The agenda editor page. Load → authorize → one service call → commit → redirect.

Anonymous visitors are sent to log in, people who may see the event but not edit its agenda get 403, and events
they may not see are a 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from eventhub import clock
from eventhub.agenda import services
from eventhub.agenda.forms import BLANK_ROWS, AgendaForm
from eventhub.agenda.models import Agenda
from eventhub.agenda.permissions import can_edit_agenda
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.events.people import owner_value
from eventhub.extensions import db
from eventhub.web import apply_domain_error, load_event_for

bp = Blueprint("agenda", __name__)


@bp.route("/events/<int:event_id>/agenda/edit", methods=["GET", "POST"])
def edit(event_id: int):
    """Edit the whole agenda in one form; blank rows are ignored."""
    event = load_event_for(event_id, can_edit_agenda, joinedload(Event.series))
    agenda = services.find_agenda(event)
    form = AgendaForm() if _submitted() else AgendaForm(data=_form_data(event, agenda))
    _pad_rows(form)
    if form.validate_on_submit():
        rows = [row for row in form.items.entries if (row.form.title.data or "").strip()]
        try:
            _save(event, [_item(row.form) for row in rows], form)
        except DomainError as exc:
            apply_domain_error(form, exc, rows=[row.form for row in rows])
        else:
            flash(_("The agenda is saved."), "success")
            return redirect(url_for("agenda.edit", event_id=event.id))
    return render_template("agenda/edit.html", event=event, agenda=agenda, form=form)


def _save(event: Event, items: list[dict[str, Any]], form: AgendaForm) -> None:
    """Replace the items (and publish when asked) as one unit of work."""
    now = clock.now()
    services.replace_agenda(event, items, now, form.allows_parallel.data)
    if form.publish.data:
        services.publish_agenda(event, now)
    db.session.commit()


def _submitted() -> bool:
    return request.method == "POST"


def _pad_rows(form: AgendaForm) -> None:
    while len(form.items.entries) < len([e for e in form.items.entries if e.form.title.data]) + BLANK_ROWS:
        form.items.append_entry()


def _form_data(event: Event, agenda: Agenda | None) -> dict[str, Any]:
    items = []
    for _day, day_items in services.agenda_days(agenda, event.timezone):
        for item in day_items:
            items.append(
                {
                    "starts_at": item.starts_at.astimezone(event.zone).replace(tzinfo=None),
                    "ends_at": item.ends_at.astimezone(event.zone).replace(tzinfo=None),
                    "title": item.title,
                    "owner": owner_value(item.owner_person, item.owner_text) or "",
                    "kind": item.kind.value,
                    "description": item.description,
                }
            )
    return {"items": items, "allows_parallel": bool(agenda and agenda.allows_parallel)}


def _item(row) -> dict[str, Any]:
    """A form row as the service's input: naive datetimes are wall-clock time in the event's zone."""
    return {
        "starts_at": row.starts_at.data,
        "ends_at": row.ends_at.data,
        "title": row.title.data,
        "owner": row.owner.data,
        "kind": row.kind.data,
        "description": row.description.data,
    }
