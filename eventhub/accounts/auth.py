"""Who is calling: Flask-Login for the web, ``Authorization: Bearer`` tokens for scripts."""

from flask import Flask, request
from flask_login import LoginManager
from flask_babel import lazy_gettext as _l

from eventhub.accounts.models import User
from eventhub.extensions import db


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))


def bearer_token_from_request() -> str | None:
    """The token in ``Authorization: Bearer <token>``, or None when the header is absent or malformed."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
