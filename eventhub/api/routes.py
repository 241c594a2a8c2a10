"""The route table entry every API area declares, and the wrapper that runs a view from it.

One ``Route`` says everything about an operation: its rule and methods, who may call it, how the addressed
resource is loaded, the body, query and response models, its error statuses and its summary. The blueprint is
built from these entries and so is the OpenAPI document (``eventhub.api.openapi``), so the two cannot differ.

The wrapper always runs in this order: authenticate → check the role (``permission``) → load and authorise the
addressed resource (``load``) → parse the query and the body → call the view. A caller who may not touch a
resource therefore learns nothing from how their body is judged, and no body is parsed for them. All of it runs in
English (``API_LANGUAGE``), whatever the client's Accept-Language: the services' messages are lazy strings that
would otherwise follow it (the emails a call causes are still written in their readers' languages).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Blueprint, g, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from pydantic import BaseModel

from eventhub.api.auth import Permission, authenticate_api_user
from eventhub.api.parsing import parse_body, parse_query
from eventhub.errors import API_LANGUAGE, NotAllowed


@dataclass(frozen=True)
class Route:
    """One operation of the API.

    ``load(**path_values)`` returns the addressed resource (or raises NotFound / NotAllowed); the view then
    receives it as its first argument instead of the path values. ``body`` and ``query`` models are parsed
    afterwards and passed as ``body=`` and ``query=``. ``responses`` maps each success status to its model
    (a tuple of models when the answer takes one of several shapes; None for an empty answer such as 204).
    ``public`` operations need no token. ``body_media`` is JSON, or ``multipart/form-data`` for uploads.
    """

    rule: str
    view: Callable[..., Any]
    method: str
    summary: str
    responses: Mapping[int, Any]
    errors: tuple[int, ...] = ()
    permission: Permission | None = None
    load: Callable[..., Any] | None = None
    body: type[BaseModel] | None = None
    body_required: bool = True
    body_media: str = "application/json"
    query: type[BaseModel] | None = None
    public: bool = False
    description: str | None = None
    headers: Mapping[int, Mapping[str, str]] = field(default_factory=dict)

    @property
    def operation_id(self) -> str:
        head, *rest = self.view.__name__.split("_")
        return head + "".join(word.capitalize() for word in rest)


def register_routes(bp: Blueprint, routes: tuple[Route, ...]) -> None:
    """Add ``routes`` to the API blueprint, each under its view's name (``api.create_event``)."""
    for route in routes:
        bp.add_url_rule(route.rule, route.view.__name__, _wrapped(route), methods=[route.method])


def _wrapped(route: Route) -> Callable[..., ResponseReturnValue]:
    @wraps(route.view)
    def run(**path_values: Any) -> ResponseReturnValue:
        with force_locale(API_LANGUAGE):
            return _run(route, path_values)

    return run


def _run(route: Route, path_values: dict[str, Any]) -> ResponseReturnValue:
    """Authenticate, check, load, parse and call ``route``'s view (see the module's docstring)."""
    if not route.public:
        g.api_user = authenticate_api_user()
        if route.permission is not None and not route.permission(g.api_user):
            raise NotAllowed("Your role does not allow this.")
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = dict(path_values)
    if route.load is not None:
        args, kwargs = (route.load(**path_values),), {}
    if route.query is not None:
        kwargs["query"] = parse_query(route.query)
    if route.body is not None:
        kwargs["body"] = parse_body(route.body, route.body_required, route.body_media)
    return to_response(route.view(*args, **kwargs))


def to_response(result: Any) -> ResponseReturnValue:
    """A view's answer: a model (or a ``(model, status[, headers])`` tuple) becomes its JSON."""
    if isinstance(result, tuple):
        body, *rest = result
        return (to_response(body), *rest)  # type: ignore[return-value]
    if isinstance(result, BaseModel):
        return jsonify(result.model_dump(mode="json", warnings="error"))
    return result
