"""The audit log's pages: ``/events/<id>/manage/audit`` and ``/series/<slug>/manage/audit`` (a series' log includes
its events' entries), a page of 50 at a time, filtered by action, and the same list as CSV.

For whoever manages the event or the series (``can_manage_event`` / ``can_manage_series``; admins everywhere):
anonymous visitors are asked to log in, others get a 403, or a 404 for what they may not even see. Read only:
nothing here changes an entry; downloading the CSV adds one ("export downloaded"), like every export.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from eventhub import clock
from eventhub.accounts.permissions import can_manage_event, can_manage_series
from eventhub.audit import queries
from eventhub.audit.forms import AuditFilterForm
from eventhub.audit.log import record_export
from eventhub.audit.models import AuditAction
from eventhub.audit.presenters import action_choices, audit_csv, entry_rows
from eventhub.events.models import Event, Series
from eventhub.events.queries import series_event_ids, usual_timezone
from eventhub.extensions import db, login_manager
from eventhub.pagination import paginate
from eventhub.web import load_event_for, viewable_series

bp = Blueprint("audit", __name__)

DEFAULT_ZONE = "UTC"  # for a series without events: its own entries have no event zone to be shown in


def _managed_event(event_id: int) -> Event:
    return load_event_for(event_id, can_manage_event, joinedload(Event.series))


def _managed_series(slug: str) -> Series:
    """The series for whoever manages it: 404 if hidden, login for anonymous visitors, 403 for everyone else."""
    series = viewable_series(slug)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can_manage_series(current_user, series):
        abort(403)
    return series


def _filters() -> tuple[AuditFilterForm, AuditAction | None, int]:
    """The filter form from the query string, the chosen action (None: all; an unknown one is ignored) and the
    page number (1 when absent or wrong)."""
    form = AuditFilterForm(request.args).offer(action_choices())
    form.validate()
    action = queries.parse_action(form.action.data) if not form.action.errors else None
    page = form.page.data if form.page.data and not form.page.errors else 1
    return form, action, page


def _render(where: sa.ColumnElement[bool], zone: str, **context: Any) -> str:
    form, action, page_number = _filters()
    page = paginate(queries.entries_query(where, action), page_number)
    kept = {"action": action.value} if action else {}
    return render_template(
        "audit/log.html", page=page, rows=entry_rows(page.items, zone), filters=form, kept=kept, active="audit",
        **context,
    )  # fmt: skip


def _csv(where: sa.ColumnElement[bool], zone: str, file_name: str, **about: Any) -> Response:
    """Every entry the filter keeps, as CSV; the download itself is recorded (after reading, so it is not in it)."""
    _form, action, _page = _filters()
    entries = list(db.session.scalars(queries.entries_query(where, action)))
    body = audit_csv(entry_rows(entries, zone)).encode("utf-8")
    record_export(
        "audit.csv", actor=current_user._get_current_object(), now=clock.now(), rows=len(entries),
        filters={"action": action.value if action else None}, **about,
    )  # fmt: skip
    db.session.commit()
    return Response(
        body,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


@bp.get("/events/<int:event_id>/manage/audit")
def event_log(event_id: int):
    """Who changed or exported what about this event, and when, newest first."""
    event = _managed_event(event_id)
    return _render(queries.about_event(event.id), event.timezone, event=event, series=None)


@bp.get("/events/<int:event_id>/manage/audit.csv")
def event_log_csv(event_id: int):
    """The event's audit log (as filtered) as CSV for a spreadsheet."""
    event = _managed_event(event_id)
    return _csv(queries.about_event(event.id), event.timezone, f"audit-event-{event.id}.csv", event=event)


@bp.get("/series/<slug>/manage/audit")
def series_log(slug: str):
    """Who changed or exported what in this series and its events, and when, newest first."""
    series = _managed_series(slug)
    where = queries.about_series(series.id, series_event_ids(series))
    return _render(where, usual_timezone(series) or DEFAULT_ZONE, event=None, series=series)


@bp.get("/series/<slug>/manage/audit.csv")
def series_log_csv(slug: str):
    """The series' audit log (as filtered) as CSV for a spreadsheet."""
    series = _managed_series(slug)
    where = queries.about_series(series.id, series_event_ids(series))
    zone = usual_timezone(series) or DEFAULT_ZONE
    return _csv(where, zone, f"audit-{series.slug}.csv", series=series)
