"""The management area's entry: ``/manage`` (the signed-in person's dashboard) and the series pages
``/manage/series/new`` and ``/series/<slug>/manage``.

Views stay thin: form → load/authorise → one service call → commit → redirect. A refused change is shown next
to its field and nothing of it is saved (``apply_domain_error`` rolls the unit of work back).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub import clock
from eventhub.accounts.organiser_presenters import organisers_section
from eventhub.accounts.permissions import can_manage_series
from eventhub.errors import DomainError
from eventhub.events.dashboard_presenters import dashboard_for, may_use_dashboard
from eventhub.events.forms_series import SeriesCreateForm, SeriesEditForm
from eventhub.events.forms_settings import (
    default_language_name,
    default_offsets_text,
    default_retention_text,
    language_choices,
)
from eventhub.events.models import Series
from eventhub.events.services import create_series, update_series
from eventhub.extensions import db, login_manager
from eventhub.mail.transport import is_smtp_configured
from eventhub.web import apply_domain_error, viewable_series

bp = Blueprint("manage", __name__)


def _signed_in_with(allowed) -> None:
    """The login page for anonymous visitors, 403 for people whose role does not allow this page."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not allowed(current_user):
        abort(403)


@bp.get("/manage")
def dashboard():
    """What the signed-in organiser, secretary or admin has to do. Members have nothing to manage: 403."""
    _signed_in_with(may_use_dashboard)
    page = dashboard_for(current_user, clock.now())
    # The mail viewer exists only while mail is written to files instead of sent (no SMTP server configured).
    mail_viewer = page.is_admin and not is_smtp_configured(current_app)
    return render_template("manage/dashboard.html", page=page, mail_viewer=mail_viewer)


@bp.route("/manage/series/new", methods=["GET", "POST"])
def new_series():
    """A new series with its defaults for events: organiser name, reminder offsets, language, retention."""
    _signed_in_with(can_manage_series)
    form = _offer_settings(SeriesCreateForm(), None)
    if form.validate_on_submit():
        try:
            series = create_series(form.slug.data, **form.settings(), actor=_actor(), now=clock.now())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return _saved(series, _("Series created."))
    return _render_form(form, None)


@bp.route("/series/<slug>/manage", methods=["GET", "POST"])
def edit_series(slug: str):
    """The series' settings (its organisers and admins), its defaults for events, and for admins the list of its
    organisers."""
    series = viewable_series(slug)
    _signed_in_with(lambda user: can_manage_series(user, series))
    form = _offer_settings(SeriesEditForm(obj=series), series)
    if form.validate_on_submit():
        try:
            update_series(series, form.settings(), actor=_actor(), now=clock.now())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return _saved(series, _("Series saved."))
    return _render_form(form, series)


def _offer_settings(form, series: Series | None):
    """The choices that come from config (languages, the default retention period) and the reminder rows and
    retention period of ``series`` (its stored ones)."""
    form.language.choices = language_choices(
        _("Not set: the site's default (%(language)s)", language=default_language_name())
    )
    form.offer_reminders(
        _("The default: %(offsets)s", offsets=default_offsets_text()), series and series.reminder_offsets
    )
    form.offer_retention(
        _("The site's default: %(period)s", period=default_retention_text()), series and series.retention_days
    )
    return form


def _actor():
    return current_user._get_current_object()


def _saved(series: Series, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("events.series", slug=series.slug))


def _render_form(form, series: Series | None):
    code = 422 if request.method == "POST" else 200
    organisers = organisers_section(series, _actor()) if series is not None else None
    return render_template("manage/series_form.html", form=form, series=series, organisers=organisers), code
