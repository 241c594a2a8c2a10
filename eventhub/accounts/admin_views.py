"""/admin/users: admins manage accounts in the browser (list, search, create, change a role, (de)activate, send a
set-password link).

Admins only: anonymous visitors are asked to log in (as on /admin/outbox), everyone else gets a 404 so the
page's existence is not given away. The rules (the last active admin stays, sessions end) live in the services.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub import clock
from eventhub.accounts import link_emails, services
from eventhub.accounts.forms import CreateUserForm, RoleForm, UserSearchForm
from eventhub.accounts.models import Role, User
from eventhub.errors import DomainError, NotFound
from eventhub.extensions import db, login_manager
from eventhub.labels import label
from eventhub.web import ConfirmForm, apply_domain_error

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(404)
    return None


def _actor() -> User:
    return current_user._get_current_object()


def _user_or_404(user_id: int) -> User:
    try:
        return services.get_user(user_id)
    except NotFound:
        abort(404)


@bp.get("")
def users():
    """One page of accounts, searched by name or email and filtered by role on the server."""
    search = UserSearchForm(request.args)
    search.validate()
    role = Role(search.role.data) if search.role.data and not search.role.errors else None
    query = (search.q.data or "") if not search.q.errors else ""
    page = search.page.data if search.page.data and not search.page.errors else 1
    result = services.search_users(query, role, page)
    return render_template(
        "accounts/admin_users.html",
        search=search,
        result=result,
        query=query,
        role=role,
        role_form=RoleForm(),
        confirm=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Create an account without a password (shown nowhere, mailed nowhere)."""
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data,
                Role(form.role.data),
                name=form.name.data,
                organisation=form.organisation.data,
                language=form.language.data,
                actor=_actor(),
                now=clock.now(),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for(".users", q=user.email))
    return render_template("accounts/admin_users_new.html", form=form), 400 if form.errors else 200


@bp.post("/<int:user_id>/role")
def change_role(user_id: int):
    """Give the account another role; its sessions end (it logs in again with the new rights)."""
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_role(user, Role(form.role.data), actor=_actor(), now=clock.now())
    except DomainError as exc:
        apply_domain_error(None, exc)
    else:
        db.session.commit()
        flash(_("%(email)s is now: %(role)s.", email=user.email, role=label(user.role)), "success")
    return redirect(url_for(".users", q=user.email))


@bp.route("/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id: int):
    """Ask first (GET), then stop the account (POST): no login, its sessions, tokens and feed stop working."""
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if request.method == "GET":
        return render_template("accounts/admin_users_deactivate.html", user=user, form=form)
    if not form.validate_on_submit():
        abort(400)
    return _set_active(user, False, _("%(email)s is deactivated."))


@bp.post("/<int:user_id>/reactivate")
def reactivate(user_id: int):
    """Let a deactivated account log in again (its old sessions stay ended)."""
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _set_active(user, True, _("%(email)s is active again."))


@bp.post("/<int:user_id>/set-password-link")
def send_set_password_link(user_id: int):
    """Email the account a one-time link to set its password (the outbox sends it; no password is shown)."""
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        link_emails.email_set_password_link(user, clock.now())
    except DomainError as exc:
        apply_domain_error(None, exc)
    else:
        db.session.commit()
        flash(_("A set-password link was emailed to %(email)s.", email=user.email), "success")
    return redirect(url_for(".users", q=user.email))


def _set_active(user: User, active: bool, done: str):
    try:
        services.set_active(user, active, actor=_actor(), now=clock.now())
    except DomainError as exc:
        apply_domain_error(None, exc)
    else:
        db.session.commit()
        flash(done % {"email": user.email}, "success")
    return redirect(url_for(".users", q=user.email))
