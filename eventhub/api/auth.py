"""Who calls the API: a bearer token resolved to a user (``eventhub.api.routes`` does this before any view)."""

from __future__ import annotations

from collections.abc import Callable

from eventhub.accounts.auth import bearer_token_from_request
from eventhub.accounts.models import User
from eventhub.accounts.services import user_for_token
from eventhub.api.types import is_storable_text
from eventhub.errors import Unauthorized
from eventhub.extensions import db

Permission = Callable[[User | None], bool]


def authenticate_api_user() -> User:
    """The user behind the request's bearer token; raises Unauthorized (401) if there is none.

    The token's ``last_used_at`` is committed here, before the view's own work, so the audit stamp survives
    a request that then fails validation.
    """
    token = bearer_token_from_request()
    user = user_for_token(token) if token and is_storable_text(token) else None
    if user is None:
        raise Unauthorized("A valid API token is required (Authorization: Bearer <token>).")
    if db.session.dirty:
        db.session.commit()
    return user
