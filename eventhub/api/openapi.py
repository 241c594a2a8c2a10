"""The OpenAPI 3.1 document of /api/v1, generated from the areas' route tables and their pydantic models.

Nothing here describes a body: paths come from each ``Route`` (``eventhub.api.routes``), schemas from the
models in each area's ``schemas.py`` (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). The document is served
at /api/v1/openapi.json and committed as docs/openapi.json, so a review sees every API change as a diff:

    python -m eventhub.api.openapi > docs/openapi.json
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from eventhub.api.paging import DEFAULT_LIMIT, MAX_LIMIT
from eventhub.api.routes import Route
from eventhub.api.types import INT4_MAX, SLUG_SCHEMA_PATTERN, OutputModel

JSON = "application/json"
ERROR_DESCRIPTIONS = {
    400: "The body is not JSON, or not a JSON object.",
    401: "No valid bearer token.",
    403: "The caller's role does not allow this.",
    404: "No such resource, or one the caller may not see.",
    409: "The change conflicts with existing data.",
    413: "The body is larger than the upload limit (EVENTHUB_MAX_UPLOAD_MB).",
    415: "The body is not declared as application/json (multipart/form-data for uploads).",
    422: "Some fields are not valid; `error.fields` says which and why.",
}
PATH_PARAMETERS = {
    "slug": {
        "type": "string",
        "pattern": SLUG_SCHEMA_PATTERN,
        "minLength": 1,
        "maxLength": 80,
        "examples": ["buy-social-dk"],
    },
    "event_id": {"type": "integer", "minimum": 1, "maximum": INT4_MAX},
    "registration_id": {"type": "integer", "minimum": 1, "maximum": INT4_MAX},
    "question_id": {"type": "integer", "minimum": 1, "maximum": INT4_MAX},
    "material_id": {"type": "integer", "minimum": 1, "maximum": INT4_MAX},
}


class ErrorDetail(OutputModel):
    code: str
    message: str
    fields: dict[str, str]


class Error(OutputModel):
    """Every 4xx and 5xx answer: ``fields`` maps a field (``items[3].title``) to what is wrong with it."""

    error: ErrorDetail


def register_routes(bp: Blueprint) -> None:
    """Serve the document; it needs no token, so clients can discover how to get one."""
    bp.add_url_rule("/openapi.json", "openapi", openapi_json, methods=["GET"])


def openapi_json() -> ResponseReturnValue:
    """The OpenAPI document of this API."""
    return jsonify(openapi_document(current_app.config["BASE_URL"]))


def all_routes() -> tuple[Route, ...]:
    """Every area's route table, in the order the blueprint registers them."""
    from eventhub.agenda.api import ROUTES as AGENDA
    from eventhub.audit.api import ROUTES as AUDIT
    from eventhub.events.api import ROUTES as EVENTS
    from eventhub.materials.api import ROUTES as MATERIALS
    from eventhub.minutes.api import ROUTES as MINUTES
    from eventhub.privacy.api import ROUTES as PRIVACY
    from eventhub.registration.api import ROUTES as REGISTRATION

    return (*EVENTS, *REGISTRATION, *AGENDA, *MATERIALS, *MINUTES, *AUDIT, *PRIVACY)


def openapi_document(base_url: str, routes: Iterable[Route] | None = None) -> dict[str, Any]:
    """The document for ``routes`` (all of them by default), served from ``base_url``/api/v1."""
    routes = tuple(all_routes() if routes is None else routes)
    refs, schemas = _schemas(routes)
    paths = _paths(routes, refs, schemas)
    for route in routes:  # query models became parameters; they are not bodies
        if route.query is not None:
            schemas.pop(refs[(route.query, "validation")]["$ref"].rsplit("/", 1)[1], None)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eventhub API",
            "version": "1.0.0",
            "description": (
                "Series, members and events of eventhub. Every operation except this document needs "
                "`Authorization: Bearer <token>`. Members-only series and events the caller may not see "
                "answer 404, like missing ones. Every list is paged: `limit` (default "
                f"{DEFAULT_LIMIT}, at most {MAX_LIMIT}; more is a 422) and `offset` in the query; `items`, `total`, "
                "`limit`, `offset` and `next` (the next page's address, null on the last) in the answer."
            ),
        },
        "servers": [{"url": f"{base_url}/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {"securitySchemes": _security_schemes(), "schemas": schemas, "responses": _error_responses(refs)},
    }


# ---------------------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------------------


def _schemas(routes: tuple[Route, ...]) -> tuple[dict[tuple[type, str], dict[str, Any]], dict[str, Any]]:
    """Every model's JSON Schema under components/schemas: inputs as validated, outputs as serialised."""
    inputs = _unique([model for route in routes for model in (route.body, route.query) if model is not None])
    outputs = _unique([Error, *(model for route in routes for model in _response_models(route))])
    keyed = [(model, "validation") for model in inputs] + [(model, "serialization") for model in outputs]
    refs, top = models_json_schema(keyed, ref_template="#/components/schemas/{model}")
    schemas = {name: _tidy(schema) for name, schema in sorted(top.get("$defs", {}).items())}
    return refs, schemas


def _response_models(route: Route) -> list[type[BaseModel]]:
    return [
        model
        for value in route.responses.values()
        if value is not None
        for model in (value if isinstance(value, tuple) else (value,))
    ]


def _unique(models: list[type[BaseModel]]) -> list[type[BaseModel]]:
    return list(dict.fromkeys(models))


def _tidy(schema: Any) -> Any:
    """Drop ``"default": null`` (pydantic writes it for optional fields that may not be null), and titles,
    which only repeat the field names."""
    if isinstance(schema, dict):
        return {
            key: _tidy(value)
            for key, value in schema.items()
            if not (key == "default" and value is None) and not (key == "title" and isinstance(value, str))
        }
    if isinstance(schema, list):
        return [_tidy(value) for value in schema]
    return schema


# ---------------------------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------------------------


def _paths(routes: tuple[Route, ...], refs: dict[tuple[type, str], Any], schemas: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {"/openapi.json": {"get": _openapi_operation()}}
    for route in routes:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.rule)
        item = paths.setdefault(path, {})
        names = re.findall(r"{(\w+)}", path)
        if names:
            item["parameters"] = [
                {"name": name, "in": "path", "required": True, "schema": PATH_PARAMETERS[name]} for name in names
            ]
        item[route.method.lower()] = _operation(route, refs, schemas)
    return paths


def _operation(route: Route, refs: dict[tuple[type, str], Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """An operation answering its success models or its errors; every operation that needs a token may answer 401."""
    responses: dict[str, Any] = {}
    for status, value in route.responses.items():
        if value is None:
            responses[str(status)] = {"description": "No content"}
            continue
        models = value if isinstance(value, tuple) else (value,)
        schema = (
            refs[(models[0], "serialization")]
            if len(models) == 1
            else {"oneOf": [refs[(m, "serialization")] for m in models]}
        )
        responses[str(status)] = {"description": _description(models), "content": {JSON: {"schema": schema}}}
    errors = {*route.errors, *(() if route.public else (401,))}
    responses.update({str(status): {"$ref": f"#/components/responses/Error{status}"} for status in sorted(errors)})
    operation: dict[str, Any] = {"operationId": route.operation_id, "summary": route.summary, "responses": responses}
    if route.description:
        operation["description"] = route.description
    if route.query is not None:
        operation["parameters"] = _query_parameters(refs[(route.query, "validation")], schemas)
    if route.body is not None:
        body_schema = refs[(route.body, "validation")]
        content = {route.body_media: {"schema": body_schema}}
        operation["requestBody"] = {"required": route.body_required, "content": content}
    return operation


def _description(models: tuple[type[BaseModel], ...]) -> str:
    return " or ".join(model.__name__ for model in models)


def _query_parameters(ref: dict[str, str], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    """One optional query parameter per field of the query model, described by its field's schema."""
    model_schema = schemas[ref["$ref"].rsplit("/", 1)[1]]
    parameters = []
    for name, schema in model_schema["properties"].items():
        schema = dict(schema)
        description = schema.pop("description", None)
        # An optional field may be absent; a query parameter has no null, so only the other branch is documented.
        branches = [branch for branch in schema.pop("anyOf", [schema]) if branch != {"type": "null"}]
        schema = {**schema, **branches[0]} if len(branches) == 1 else {**schema, "anyOf": branches}
        parameter = {"name": name, "in": "query", "required": False, "schema": schema}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _openapi_operation() -> dict[str, Any]:
    return {
        "operationId": "getOpenApi",
        "summary": "This document (no token needed)",
        "security": [],
        "responses": {
            "200": {"description": "The OpenAPI document", "content": {JSON: {"schema": {"type": "object"}}}}
        },
    }


def _security_schemes() -> dict[str, Any]:
    return {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (`flask tokens create`); only its hash is stored.",
        }
    }


def _error_responses(refs: dict[tuple[type, str], Any]) -> dict[str, Any]:
    responses = {}
    for status, description in ERROR_DESCRIPTIONS.items():
        response: dict[str, Any] = {
            "description": description,
            "content": {JSON: {"schema": refs[(Error, "serialization")]}},
        }
        if status == 401:
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer realm"}}
        responses[f"Error{status}"] = response
    return responses


def document_text() -> str:
    """The committed form of the document (docs/openapi.json): relative server URL, stable formatting."""
    return json.dumps(openapi_document(""), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(document_text(), end="")
