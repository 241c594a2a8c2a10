"""Reading API input into the pydantic models of each area's ``schemas.py``, and pydantic's errors into ours.

This is the one place where a ``ValidationError`` becomes eventhub's error body
(``{"error": {"code", "message", "fields"}}``): 422 naming each field at fault (``items[3].starts_at``), at most
MAX_FIELD_ERRORS of them so a huge body cannot produce a huge answer. A body that is not a JSON object is a 400,
one not declared as JSON a 415. Services still check meaning (a known time zone, an end after the start).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel, ValidationError

from eventhub.errors import DomainError, ValidationFailed

JSON = "application/json"
MULTIPART = "multipart/form-data"
MAX_FIELD_ERRORS = 50
MAX_FIELD_NAME = 200
# Tags of the discriminated unions in the schemas (a person given as an email or as an object): pydantic puts
# them in an error's location, but they are not fields the client sent.
UNION_TAGS = frozenset({"as-string", "as-object"})

M = TypeVar("M", bound=BaseModel)


class BadRequest(DomainError):
    """The body is not JSON, or not a JSON object: there are no fields to report, so 400 rather than 422."""

    status = 400
    code = "bad_request"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


def parse_body(model: type[M], required: bool = True, media: str = JSON) -> M:
    """The request body as ``model``; an absent body is ``{}`` unless ``required``. A ``multipart/form-data``
    body (uploads) is read as its fields and files, the first value of each.

    Raises UnsupportedMediaType, BadRequest (not JSON, too deeply nested, not an object) or ValidationFailed.
    """
    if media == MULTIPART:
        return _parse_multipart(model)
    raw = request.get_data(cache=True)
    if not raw and not required:
        return validate(model, {})
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON (Content-Type: application/json).")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        # ValueError covers bad syntax, bad encodings and integers with thousands of digits; RecursionError a
        # body nested deeper than Python's stack (``[[[[…``), which must be a 400, never a 500.
        raise BadRequest("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    return validate(model, body)


def _parse_multipart(model: type[M]) -> M:
    if request.mimetype != MULTIPART:
        raise UnsupportedMediaType("Send the body as multipart/form-data.")
    fields: dict[str, Any] = {name: request.form.get(name) for name in request.form}
    fields.update({name: request.files.get(name) for name in request.files})
    return validate(model, fields)


def parse_query(model: type[M]) -> M:
    """The query string as ``model`` (the first value of a repeated parameter).

    An empty value is a value like any other: ``?status=`` is refused (422) as the document's enum says, rather
    than silently read as "no filter"."""
    return validate(model, dict(request.args.items()))


def validate(model: type[M], data: Mapping[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except RecursionError:
        raise BadRequest("The body is nested too deeply.") from None
    except ValidationError as exc:
        raise validation_failed(exc) from None


def validation_failed(exc: ValidationError) -> ValidationFailed:
    """``exc`` as eventhub's 422: ``fields`` maps each location (``items[3].title``) to what is wrong there."""
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        name = field_path(error["loc"])
        if name not in fields:
            fields[name] = _message(error)
        if len(fields) >= MAX_FIELD_ERRORS:
            break
    shown = len(fields)
    message = (
        "Some fields are not valid."
        if exc.error_count() <= shown
        else f"Some fields are not valid (first {shown} shown)."
    )
    return ValidationFailed(message, fields)


def field_path(location: tuple[int | str, ...]) -> str:
    """``("items", 3, "title")`` → ``items[3].title``; union tags are left out, long names cut."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in UNION_TAGS:
            path += f".{part}" if path else str(part)
    return (path or "body")[:MAX_FIELD_NAME]


def _message(error: Any) -> str:
    """Our own words where we raised the error (``ValueError`` in a validator), pydantic's otherwise."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    if error["type"] == "missing":
        return "required"
    if error["type"] == "extra_forbidden":
        return "unknown field"
    return error["msg"]
