"""Who calls the API: a bearer token resolved to a user, checked before the view runs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g

from eventhub.accounts.auth import bearer_token_from_request
from eventhub.accounts.models import User
from eventhub.accounts.services import user_for_token
from eventhub.api.parsing import text_problem
from eventhub.errors import NotAllowed, Unauthorized
from eventhub.extensions import db

View = TypeVar("View", bound=Callable[..., Any])
Permission = Callable[[User | None], bool]


def require_api_user(permission: Permission | None = None) -> Callable[[View], View]:
    """Decorate a view so it runs only for a valid token's user (on ``g.api_user``) who has ``permission``.

    Raises Unauthorized (401, with WWW-Authenticate) for a missing, unknown or revoked token and NotAllowed
    (403) when the user lacks the permission. The permission is checked before anything is loaded, so a
    403 says nothing about whether the addressed series or event exists.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            g.api_user = authenticate_api_user()
            if permission is not None and not permission(g.api_user):
                raise NotAllowed("Your role does not allow this.")
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def authenticate_api_user() -> User:
    """The user behind the request's bearer token; raises Unauthorized if there is none.

    The token's ``last_used_at`` is committed here, before the view's own work, so the audit stamp survives
    a request that then fails validation.
    """
    token = bearer_token_from_request()
    user = user_for_token(token) if token and not text_problem(token) else None
    if user is None:
        raise Unauthorized("A valid API token is required (Authorization: Bearer <token>).")
    if db.session.dirty:
        db.session.commit()
    return user
