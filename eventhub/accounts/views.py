"""Login and logout pages, the account page with the user's API tokens, and the language switcher's answer."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from eventhub import clock
from eventhub.accounts import links, services, throttle
from eventhub.accounts.forms import ApiTokenForm, LanguageForm, LoginForm, NewPasswordForm
from eventhub.accounts.models import ApiToken, User
from eventhub.calendar.presenters import account_feed_context
from eventhub.errors import TooManyRequests
from eventhub.extensions import db
from eventhub.i18n import page_without_lang
from eventhub.web import ConfirmForm

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (``links.safe_path``: the one home of the rule)."""
    return links.safe_path(target)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in by email and password; a failure never says whether the email has an account."""
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("events.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = _attempt_login(form.email.data, form.password.data)
        except TooManyRequests as exc:
            form.form_errors.append(_("Too many failed logins. Please wait a quarter of an hour and try again."))
            return render_template("accounts/login.html", form=form, next_url=next_url), exc.status
        if user is not None:
            flash(_("You are logged in."), "success")
            return redirect(next_url or url_for("events.home"))
        form.form_errors.append(_("Wrong email or password."))
    return render_template("accounts/login.html", form=form, next_url=next_url)


def _attempt_login(email: str, password: str) -> User | None:
    """Check the password within the login limits and log the user in; commits. Raises TooManyRequests.

    The attempt is committed before anything is checked, in a transaction of its own: logins sent at the same
    moment then see each other's attempts, so no more than the limit of them are evaluated.
    """
    now, client = clock.now(), request.remote_addr or ""
    attempt = throttle.begin_login_attempt(email, client, now)
    db.session.commit()
    try:
        throttle.check_login_allowed(attempt)
    except TooManyRequests:
        throttle.withdraw_login_attempt(attempt)
        db.session.commit()
        raise
    user = services.authenticate(email, password, now=now)
    if user is not None:
        throttle.withdraw_login_attempt(attempt)
        login_user(user)
    db.session.commit()
    return user


@bp.post("/logout")
def logout():
    """Log out; POST with a CSRF token only, so a link or image elsewhere cannot log anyone out.

    Logging out ends the account's sessions everywhere: the signed cookie cannot be taken back, so a copy of
    it (another browser, a stolen cookie) must stop working on the server's side."""
    if ConfirmForm().validate_on_submit():
        if current_user.is_authenticated:
            services.end_sessions(current_user._get_current_object())
            db.session.commit()
        logout_user()
        flash(_("You are logged out."), "success")
    return redirect(url_for("events.home"))


@bp.post("/language")
def choose_language():
    """The language switcher: the language chosen for the rest of the visit (the session) and, for a signed-in
    person, on their account; then back to the page it was chosen on (a path on this site, without ``lang=``)."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session["lang"] = form.lang.data
    if current_user.is_authenticated:
        services.set_own_language(current_user._get_current_object(), form.lang.data)
        db.session.commit()
    return redirect(page_without_lang(safe_next(form.next.data)) or url_for("events.home"))


@bp.get("/account")
@login_required
def account():
    """Who the user is and their API tokens."""
    return _render_account(ApiTokenForm())


@bp.post("/account/tokens")
@login_required
def create_token():
    """Issue an API token and show it once.

    The page is rendered in answer to the POST instead of redirecting: the plaintext token must not be kept
    anywhere (not even in the session cookie) to survive a redirect.
    """
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _render_account(form), 422
    user = current_user._get_current_object()
    token, plaintext = services.create_api_token(user, form.name.data.strip(), now=clock.now())
    db.session.commit()
    return _render_account(ApiTokenForm(formdata=None), new_token=plaintext, new_token_name=token.name)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the user's tokens; someone else's token is a 404, as if it did not exist."""
    if ConfirmForm().validate_on_submit():
        services.revoke_api_token(token_id, current_user._get_current_object(), now=clock.now())
        db.session.commit()
        flash(_("The token was revoked."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/password")
@login_required
def change_password():
    """Set or change one's password. No current password is asked: whoever reads the mailbox can sign in by
    link anyway. Every other session of the account ends; this one goes on (it is signed in again)."""
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return _render_account(ApiTokenForm(formdata=None), password_form=form), 422
    user = current_user._get_current_object()
    services.set_password(user, form.password.data)
    db.session.commit()
    login_user(user)
    flash(_("Your password is set."), "success")
    return redirect(url_for("accounts.account"))


def _render_account(form: ApiTokenForm, password_form: NewPasswordForm | None = None, **extra):
    user: User = current_user._get_current_object()
    tokens = sorted((t for t in user.api_tokens if t.revoked_at is None), key=_newest_first)
    feed = account_feed_context(user.person)
    return render_template(
        "accounts/account.html",
        user=user,
        tokens=tokens,
        form=form,
        password_form=password_form or NewPasswordForm(formdata=None),
        confirm=ConfirmForm(),
        **feed,
        **extra,
    )


def _newest_first(token: ApiToken):
    return (-token.created_at.timestamp(), -token.id)
