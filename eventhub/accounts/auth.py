"""Who is calling: Flask-Login for the web, ``Authorization: Bearer`` tokens for scripts."""

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from eventhub.accounts.models import User
from eventhub.extensions import db


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return user_for_session_id(session_id)


def user_for_session_id(session_id: str) -> User | None:
    """The active user whose ``get_id()`` is ``session_id`` (``<id>:<session version>``), or None.

    A session from before the account's last logout, password, role or active change carries an older version
    and so belongs to nobody: the visitor is anonymous. An id without a version (a cookie signed before
    versions existed) is refused too.
    """
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def bearer_token_from_request() -> str | None:
    """The token in ``Authorization: Bearer <token>``, or None when the header is absent or malformed."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
