"""``/series/<slug>/manage/members``: an organiser lists a series' members (a page at a time, filtered and searched
on the server), adds one, pastes a list or uploads a CSV file (the invitations' parser, line-numbered problems,
nothing added twice), removes one after a confirmation page, and exports them as CSV.

For whoever may manage the series (``permissions.can_manage_series``); anonymous visitors are asked to log in,
everyone else gets a 404, so a members-only series' existence is not given away. The rules are in
``accounts.memberships``, which the API's ``POST /api/v1/series/<slug>/members`` uses too.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub import clock
from eventhub.accounts import memberships
from eventhub.accounts.member_forms import AddMemberForm, AddMemberListForm, MemberFilterForm
from eventhub.accounts.permissions import can_grant_membership_role, can_manage_series
from eventhub.accounts.presenters import members_csv
from eventhub.audit.log import record_export
from eventhub.errors import DomainError, NotFound, ValidationFailed
from eventhub.events import member_lists
from eventhub.events.models import MembershipRole, Series
from eventhub.events.people import language_fallback
from eventhub.events.services import get_series
from eventhub.extensions import db, login_manager
from eventhub.i18n import language_fallback_text
from eventhub.registration.invitee_lists import InviteeRow, parse_invitee_csv, parse_invitee_text
from eventhub.texts import lazy_text as _l
from eventhub.web import ConfirmForm, apply_domain_error

bp = Blueprint("members", __name__, url_prefix="/series/<slug>/manage")


def _managed_series(slug: str) -> Series:
    """The series for someone who may manage it: the login page for anonymous visitors, 404 for anyone else."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    try:
        series = get_series(slug)
    except NotFound:
        abort(404)
    if not can_manage_series(current_user, series):
        abort(404)
    return series


def _actor():
    return current_user._get_current_object()


def _filters(series: Series) -> tuple[MemberFilterForm, member_lists.MemberFilters, int]:
    """The list's filters from the query string; a value that is not one of the choices is ignored."""
    form = MemberFilterForm(request.args).offer(
        member_lists.member_organisations(series), member_lists.member_languages(series)
    )
    form.validate()
    good = {name: form[name].data if not form[name].errors else None for name in ("q", "organisation", "language")}
    role = form.role.data if form.role.data and not form.role.errors else None
    filters = member_lists.MemberFilters(
        search=good["q"] or "",
        organisation_id=int(good["organisation"]) if good["organisation"] else None,
        language=good["language"] or "",
        role=MembershipRole(role) if role else None,
    )
    page = form.page.data if form.page.data and not form.page.errors else 1
    return form, filters, page


def _render(series: Series, add_form=None, list_form=None, result=None, code: int = 200):
    filter_form, filters, page_number = _filters(series)
    page = member_lists.members_page(series, filters, page_number)
    actor = _actor()
    return render_template(
        "accounts/members.html",
        series=series,
        page=page,
        filter_form=filter_form,
        kept={name: request.args[name] for name in ("q", "organisation", "language", "role") if request.args.get(name)},
        add_form=add_form or AddMemberForm(formdata=None),
        list_form=list_form or AddMemberListForm(formdata=None),
        result=result,
        may_appoint_secretaries=can_grant_membership_role(actor, MembershipRole.SECRETARY),
        removable={m.id for m in page.items if memberships.can_remove_membership(actor, m)},
    ), code


@bp.get("/members")
def members(slug: str):
    """The series' members with organisation, language and role, and the forms to add more."""
    return _render(_managed_series(slug))


@bp.post("/members")
def add(slug: str):
    """Add one person (created if new); the new member gets a welcome email with their calendar feed link."""
    series = _managed_series(slug)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return _render(series, add_form=form, code=400 if form.csrf_token.errors else 422)
    try:
        membership = memberships.add_member(
            _actor(), series, form.email.data, form.name.data, form.organisation.data, form.language.data or None,
            clock.now(), role=form.role.data or MembershipRole.MEMBER,
        )  # fmt: skip
    except DomainError as exc:
        apply_domain_error(form, exc)
        return _render(series, add_form=form, code=exc.status)
    fallback = language_fallback(membership.person, series)
    db.session.commit()
    flash(_("%(email)s is now a member; a welcome email is on its way.", email=membership.person.email), "success")
    if fallback is not None:
        flash(language_fallback_text(fallback.language, fallback.email, fallback.reads, fallback.source), "warning")
    return redirect(url_for(".members", slug=slug))


@bp.post("/members/list")
def add_list(slug: str):
    """Add everyone in a pasted list or an uploaded CSV file; says per line who was added, skipped or refused."""
    series = _managed_series(slug)
    form = AddMemberListForm()
    if not form.validate_on_submit():
        return _render(series, list_form=form, code=400 if form.csrf_token.errors else 422)
    try:
        rows, problems = _rows_from(form)
        result = memberships.add_series_members(_actor(), series, rows, clock.now(), problems)
    except DomainError as exc:
        apply_domain_error(form, exc)
        return _render(series, list_form=form, code=exc.status)
    db.session.commit()
    return _render(series, result=result)


def _rows_from(form: AddMemberListForm) -> tuple[list[InviteeRow], list]:
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        return parse_invitee_csv(upload.read())
    if form.members.data and form.members.data.strip():
        return parse_invitee_text(form.members.data)
    raise ValidationFailed(_l("Nothing to add."), {"members": _l("paste a list or choose a file")})


@bp.route("/members/<int:membership_id>/remove", methods=["GET", "POST"])
def remove(slug: str, membership_id: int):
    """Ask first (who, and what it changes for them); then end the membership."""
    series = _managed_series(slug)
    try:
        membership = memberships.get_membership(series, membership_id)
    except NotFound:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            memberships.remove_membership(_actor(), membership, clock.now())
        except DomainError as exc:
            apply_domain_error(None, exc)
            return redirect(url_for(".members", slug=slug))
        db.session.commit()
        flash(
            _("%(email)s is no longer a member of %(series)s.", email=membership.person.email, series=series.title),
            "success",
        )
        return redirect(url_for(".members", slug=slug))
    allowed = memberships.can_remove_membership(_actor(), membership)
    code = 400 if request.method == "POST" else 200
    return render_template(
        "accounts/members_remove.html", series=series, membership=membership, form=form, allowed=allowed
    ), code


@bp.get("/members.csv")
def export(slug: str):
    """The members (narrowed by the list's filters, if any) as CSV for a spreadsheet; the download is recorded in
    the audit log with its filters."""
    series = _managed_series(slug)
    _, filters, _page = _filters(series)
    members = member_lists.all_members(series, filters)
    body = members_csv(members).encode("utf-8")
    record_export(
        "members.csv", actor=_actor(), now=clock.now(), series=series, rows=len(members), filters=asdict(filters)
    )
    db.session.commit()
    return Response(
        body,
        headers={
            "Content-Disposition": f'attachment; filename="members-{series.slug}.csv"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )
