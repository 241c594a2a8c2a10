"""The agenda editor page. Load → authorize → one service call → commit → redirect.

Anonymous visitors are sent to log in, people who may see the event but not edit its agenda get 403, and events
they may not see are a 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.permissions import can_view_event
from eventhub.agenda import services
from eventhub.agenda.forms import BLANK_ROWS, AgendaForm
from eventhub.agenda.models import Agenda
from eventhub.agenda.permissions import can_edit_agenda
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.events.services import get_event
from eventhub.events.people import owner_value
from eventhub.extensions import db, login_manager

bp = Blueprint("agenda", __name__)


def load_event_for(event_id: int, allowed) -> Event:
    """The event if the current user passes ``allowed``; 404 when they may not see it, login or 403 otherwise."""
    event = get_event(event_id)
    if not can_view_event(current_user, event):
        abort(404)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not allowed(current_user, event):
        abort(403)
    return event


@bp.route("/events/<int:event_id>/agenda/edit", methods=["GET", "POST"])
def edit(event_id: int):
    """Edit the whole agenda in one form; blank rows are ignored."""
    event = load_event_for(event_id, can_edit_agenda)
    agenda = services.find_agenda(event)
    form = AgendaForm() if _submitted() else AgendaForm(data=_form_data(event, agenda))
    _pad_rows(form)
    if form.validate_on_submit():
        rows = [row for row in form.items.entries if (row.form.title.data or "").strip()]
        try:
            now = utcnow()
            services.replace_agenda(event, [_item(row.form) for row in rows], now, form.allows_parallel.data)
            if form.publish.data:
                services.publish_agenda(event, now)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            form.form_errors.extend(_row_errors(exc, rows, form))
        else:
            flash(_("The agenda is saved."), "success")
            return redirect(url_for("agenda.edit", event_id=event.id))
    return render_template("agenda/edit.html", event=event, agenda=agenda, form=form)


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


def _row_errors(exc: DomainError, rows, form: AgendaForm) -> list[str]:
    """``items[2].ends_at`` → an error on that row's field, and a line at the top naming the row."""
    messages = []
    for key, problem in exc.fields.items():
        if key.startswith("items[") and "]" in key:
            index = int(key[6 : key.index("]")])
            name = key.partition("].")[2]
            field = getattr(rows[index].form, name, None) if index < len(rows) else None
            if field is not None:
                field.errors = [*field.errors, problem]
            messages.append(_("Item %(number)d: %(field)s %(problem)s", number=index + 1, field=name, problem=problem))
        else:
            messages.append(f"{key}: {problem}")
    return messages or [exc.message]


def agenda_for_page(event: Event) -> dict[str, Any]:
    """The agenda days to show and whether the viewer may edit: unpublished agendas only to their editors."""
    agenda = services.find_agenda(event)
    can_edit = can_edit_agenda(current_user, event)
    shown = agenda is not None and (agenda.is_published or can_edit)
    return {
        "days": services.agenda_days(agenda, event.timezone) if shown else [],
        "published": bool(agenda and agenda.is_published),
        "can_edit": can_edit,
    }
