"""Getting in by an emailed link: asking for a sign-in link, using one, and setting a password by an admin's link.

Opening a link (GET) changes nothing: mail scanners open the links in emails to check them and would use up a
one-time link. The page shows a "Sign in" button (POST with a CSRF token) that uses it. The rules (one-time,
expiry, who gets an account, deactivated accounts) are in ``links``; the emails in ``link_emails``.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user

from eventhub import clock
from eventhub.accounts import link_emails, links
from eventhub.accounts.forms import NewPasswordForm, SignInLinkForm
from eventhub.accounts.models import LinkPurpose, SignInLink
from eventhub.accounts.services import set_password as set_account_password
from eventhub.errors import DomainError, NotAllowed, TooManyRequests
from eventhub.extensions import db
from eventhub.i18n import read_as
from eventhub.web import ConfirmForm, apply_domain_error

bp = Blueprint("sign_in", __name__)


@bp.route("/login/link", methods=["GET", "POST"])
def request_link():
    """Email me a sign-in link: the same answer for every address, known or not."""
    form = SignInLinkForm(email=request.args.get("email", ""), next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            _email_link(form.email.data, links.safe_path(form.next.data))
        except TooManyRequests as exc:
            form.form_errors.append(exc.message)
            return render_template("accounts/sign_in_request.html", link_form=form), exc.status
        return redirect(url_for(".link_sent"))
    return render_template("accounts/sign_in_request.html", link_form=form), 422 if form.errors else 200


def _email_link(email: str, target: str | None) -> None:
    """Count the request within the limits, then email the link if the address is known; commits. The request is
    committed before the limits are checked, so requests sent at once see each other (as failed logins do)."""
    now, client = clock.now(), request.remote_addr or ""
    attempt = link_emails.begin_link_request(email, client, now)
    db.session.commit()
    try:
        link_emails.check_link_request_allowed(attempt)
    except TooManyRequests:
        db.session.commit()
        raise
    link_emails.email_sign_in_link(email, target, str(get_locale() or "en"), now)
    db.session.commit()


@bp.get("/login/link/sent")
def link_sent():
    """What every address is told after asking for a link."""
    return render_template("accounts/sign_in_sent.html")


@bp.route("/sign-in/<token>", methods=["GET", "POST"])
def use_link(token: str):
    """A sign-in or personal link: a "Sign in" button (GET), which signs in and goes to the link's page (POST)."""
    now = clock.now()
    try:
        link = links.find_link(token, (LinkPurpose.SIGN_IN, LinkPurpose.PERSONAL), now)
    except links.LinkUnusable as exc:
        return _unusable(exc)
    if _signed_in_as(link):
        return redirect(link.target)
    read_as(link.person)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = links.use_link(link, now)
        except links.LinkUnusable as exc:
            db.session.rollback()
            return _unusable(exc)
        except NotAllowed as exc:
            db.session.rollback()
            return render_template("accounts/sign_in_refused.html", message=exc.message), exc.status
        db.session.commit()
        login_user(user)
        flash(_("You are signed in."), "success")
        return redirect(link.target)
    return render_template("accounts/sign_in_confirm.html", link=link, form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The form an admin's set-password link opens: the password twice; saving it signs the person in."""
    now = clock.now()
    try:
        link = links.find_link(token, (LinkPurpose.SET_PASSWORD,), now)
    except links.LinkUnusable as exc:
        return _unusable(exc, set_password=True)
    read_as(link.person)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = links.use_link(link, now)
            set_account_password(user, form.password.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Your password is set. You are signed in."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/set_password.html", form=form, link=link), 422 if form.errors else 200


def _signed_in_as(link: SignInLink | None) -> bool:
    """Whether the visitor is already signed in as the link's person (a link opened twice in one browser)."""
    return link is not None and current_user.is_authenticated and current_user.person_id == link.person_id


def _unusable(exc: links.LinkUnusable, set_password: bool = False):
    """An unknown, used or expired link: its page if the visitor is its person already; otherwise a sentence
    saying what happened and the "email me a new link" form, prefilled with the link's address and page."""
    if not set_password and _signed_in_as(exc.link):
        return redirect(exc.link.target)
    prefill = {"email": exc.link.person.email, "next": exc.link.target} if exc.link is not None else {}
    if exc.link is not None:
        read_as(exc.link.person)
    form = SignInLinkForm(formdata=None, **prefill)
    return render_template(
        "accounts/link_unusable.html", link_form=form, known=exc.link is not None, set_password=set_password
    ), 410
