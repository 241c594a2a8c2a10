"""The web layer's shared steps: load-and-authorize, turning a refused change into form errors, the confirm form.

Every HTML view is "form → load/authorize → one service call → commit → render"; the load/authorize and the
error step live here once, so every page answers the same way (404 for what the viewer may not see, login or
403 for what they may see but not do, a DomainError shown on the form and the failed unit of work undone).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from flask import abort, flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SubmitField

from eventhub import clock
from eventhub.accounts.permissions import can_view_event, can_view_series
from eventhub.errors import DomainError, NotFound
from eventhub.events.models import Event, Series
from eventhub.events.services import get_event, get_series
from eventhub.extensions import db, login_manager
from eventhub.forms import Form

ROW_KEY = re.compile(r"^(?P<list>\w+)\[(?P<index>\d+)\]\.(?P<field>\w+)$")


class ConfirmForm(Form):
    """Only a CSRF token, for buttons that change something (log out, revoke, resend, approve, cancel)."""

    submit = SubmitField(_l("Confirm"))


def load_event_for(event_id: int, allowed: Callable[[Any, Event], bool], *options: Any) -> Event:
    """The event if the current user passes ``allowed(user, event)``, loaded with ``options`` (the eager loads
    the page needs). A 404 for whoever may not see the event (its existence stays hidden), the login page for
    anonymous visitors, 403 for people who may see it but not do this."""
    event = get_event(event_id, options)
    if not can_view_event(current_user, event):
        abort(404)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not allowed(current_user, event):
        abort(403)
    return event


def viewable_event(event_id: int, load: Callable[[int], Event] = get_event) -> Event:
    """The event if the current user may see it; a 404 otherwise, as if it did not exist. ``load`` reads it
    (``get_event_with_series`` for a page that shows the series)."""
    event = load(event_id)
    if not can_view_event(current_user, event):
        abort(404)
    return event


def viewable_series(slug: str) -> Series:
    """The series if the current user may see it; a 404 otherwise (also for a slug that names nothing)."""
    try:
        series = get_series(slug)
    except NotFound:
        abort(404)
    if not can_view_series(current_user, series):
        abort(404)
    return series


def commit_or_flash(action: Callable[[Any], Any]) -> bool:
    """Run ``action(now)`` (one service call) and commit; a refused change is flashed instead and undone.
    For buttons without a form of their own to show errors on."""
    try:
        action(clock.now())
        db.session.commit()
    except DomainError as exc:
        apply_domain_error(None, exc)
        return False
    return True


def apply_domain_error(form: Form | None, exc: DomainError, rows: Sequence[Any] | None = None) -> None:
    """Show a change the services refused, and undo the failed unit of work (the session is rolled back, so
    nothing it flushed can be committed later in the request).

    Each of ``exc.fields`` goes on the form field of that name, or at the top of the form when the form has
    no such field. Keys naming a row (``items[2].title``) go on that field of ``rows[2]`` (the row forms the
    service was given, in order) with a line at the top naming the row. Without fields the message goes at the
    top; without a form (a plain button) it is flashed.
    """
    db.session.rollback()
    if form is None:
        flash(str(exc.message), "error")  # read now, in the reader's language: the session stores text
        return
    for key, problem in exc.fields.items():
        _place(form, key, problem, rows)
    if not exc.fields:
        form.form_errors.append(exc.message)


def _place(form: Form, key: str, problem: str, rows: Sequence[Any] | None) -> None:
    row_key = ROW_KEY.match(key)
    if row_key and rows is not None:
        index, name = int(row_key["index"]), row_key["field"]
        field = getattr(rows[index], name, None) if index < len(rows) else None
        if field is not None:
            field.errors = [*field.errors, problem]
        shown = field.label.text if field is not None else name  # the column as the page names it
        top = _("Item %(number)d: %(field)s %(problem)s", number=index + 1, field=shown, problem=problem)
        form.form_errors.append(top)
    elif key in form:
        form[key].errors = [*form[key].errors, problem]
    else:
        form.form_errors.append(_("%(field)s: %(problem)s", field=key, problem=problem))
