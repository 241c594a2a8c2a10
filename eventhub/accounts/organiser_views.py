"""Admins appoint and dismiss the organisers of a series: ``/series/<slug>/manage/organisers``.

The list and the add form also sit on ``/series/<slug>/manage`` (``organiser_presenters.organisers_section``). Anonymous
visitors are asked to log in; a series the viewer may not see is a 404; everyone else who is not an admin gets a
403, as on the series page itself. Removing asks first.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub import clock
from eventhub.accounts import organisers as organiser_rules
from eventhub.accounts.organiser_forms import AddOrganiserForm
from eventhub.accounts.organiser_presenters import organisers_section
from eventhub.accounts.permissions import is_admin
from eventhub.errors import DomainError, NotFound
from eventhub.events.models import Series
from eventhub.extensions import db, login_manager
from eventhub.web import ConfirmForm, apply_domain_error, viewable_series

bp = Blueprint("series_organisers", __name__, url_prefix="/series/<slug>/manage/organisers")


def _series_for_admin(slug: str) -> Series:
    series = viewable_series(slug)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not is_admin(current_user):
        abort(403)
    return series


def _email_problems() -> dict[str, str]:
    """The services' reasons for refusing an address, in the reader's language."""
    return {
        organiser_rules.NO_ACCOUNT: _("There is no account with this address. Create the account first (Accounts)."),
        organiser_rules.NOT_AN_ORGANISER_ACCOUNT: _(
            "This account cannot organise: give it the role organiser (Accounts) first."
        ),
        organiser_rules.ALREADY_SECRETARY: _(
            "This person is the series' secretary; a person has one role in a series."
        ),
    }


@bp.route("", methods=["GET", "POST"])
def organisers(slug: str):
    """The series' organisers and the form to add one; adding returns to the series' management page."""
    series = _series_for_admin(slug)
    form = AddOrganiserForm()
    if form.validate_on_submit():
        try:
            membership, added = organiser_rules.appoint_series_organiser(
                current_user, series, form.email.data, now=clock.now()
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            form.email.errors = [_email_problems().get(error, error) for error in form.email.errors]
        else:
            db.session.commit()
            name = membership.person.name
            message = _("%(name)s now organises this series.") if added else _("%(name)s organises it already.")
            flash(message % {"name": name}, "success")
            return redirect(url_for("manage.edit_series", slug=series.slug) + "#organisers")
    code = 422 if request.method == "POST" else 200
    section = organisers_section(series, current_user, form)
    return render_template("series_organisers/organisers.html", series=series, organisers=section), code


@bp.route("/<int:person_id>/remove", methods=["GET", "POST"])
def remove(slug: str, person_id: int):
    """Ask first (GET), then end the person's organiser membership of the series (POST)."""
    series = _series_for_admin(slug)
    membership = next((m for m in organiser_rules.series_organisers(series) if m.person_id == person_id), None)
    if membership is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "GET":
        return render_template("series_organisers/remove.html", series=series, person=membership.person, form=form)
    if not form.validate_on_submit():
        abort(400)
    try:
        person = organiser_rules.dismiss_series_organiser(current_user, series, person_id, now=clock.now())
    except NotFound:
        abort(404)
    db.session.commit()
    flash(_("%(name)s no longer organises this series.", name=person.name), "success")
    return redirect(url_for("manage.edit_series", slug=series.slug) + "#organisers")
