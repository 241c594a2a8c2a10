"""Reading API input: JSON bodies and query parameters, checked for shape before any service sees them.

Services check meaning (a known time zone, an end after the start); this module checks what would otherwise
reach the database raw and fail there with a 500: wrong JSON types, NUL characters (PostgreSQL refuses them in
text), lone surrogates (not encodable as UTF-8), integers beyond PostgreSQL's 4-byte ``integer`` and strings
longer than any column. Every problem becomes a ``DomainError`` that the JSON error handlers render.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from enum import Enum
from typing import Any, TypeVar

from flask import request

from eventhub.errors import DomainError, ValidationFailed

INT4_MIN = -(2**31)
INT4_MAX = 2**31 - 1
# The longest text any column takes (an event description); longer strings are refused whatever the field.
MAX_STRING_LENGTH = 20_000
# Instants outside these years are typing mistakes, and near year 1 or 9999 converting zones overflows.
MIN_YEAR = 1900
MAX_YEAR = 2999

NoneType = type(None)
E = TypeVar("E", bound=Enum)


class BadRequest(DomainError):
    """The body is not JSON, or not a JSON object: there are no fields to report, so 400 rather than 422."""

    status = 400
    code = "bad_request"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


def json_object(fields: Mapping[str, tuple[type, ...]]) -> dict[str, Any]:
    """The request body as a JSON object whose keys are all in ``fields`` with values of the listed types.

    Raises UnsupportedMediaType unless the body is declared JSON, BadRequest when it does not parse to an
    object, and ValidationFailed naming every unknown, mistyped or unstorable field at once.
    """
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON (Content-Type: application/json).")
    try:
        body = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        # ValueError covers bad syntax, bad encodings and integers with thousands of digits.
        raise BadRequest("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    errors = {name: _field_problem(value, fields.get(name)) for name, value in body.items()}
    errors = {name: problem for name, problem in errors.items() if problem}
    if errors:
        raise ValidationFailed("Some fields are not valid.", errors)
    return body


def _field_problem(value: Any, types: tuple[type, ...] | None) -> str | None:
    """What is wrong with one field's value, or None. Booleans are not accepted where integers are."""
    if types is None:
        return "unknown field"
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        return "expected " + " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, int) and not INT4_MIN <= value <= INT4_MAX:
        return f"must be between {INT4_MIN} and {INT4_MAX}"
    return None


_TYPE_NAMES = {
    str: "a string", int: "an integer", bool: "true or false", NoneType: "null", float: "a number",
    list: "a list", dict: "an object",
}


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return "must not contain NUL characters"
    if len(value) > MAX_STRING_LENGTH:
        return f"at most {MAX_STRING_LENGTH} characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text"
    return None


def clean_text(value: str, field_name: str) -> str:
    """``value`` (a path or query parameter) if it can be stored as text; raises ValidationFailed otherwise."""
    problem = text_problem(value)
    if problem:
        raise ValidationFailed(f"{field_name}: {problem}.", {field_name: problem})
    return value


def query_int(name: str, default: int, minimum: int, maximum: int) -> int:
    """The query parameter ``name`` as an integer within [minimum, maximum]; ``default`` when absent."""
    raw = request.args.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > 12 or not minimum <= int(raw) <= maximum:
        raise ValidationFailed(f"{name} must be a whole number from {minimum} to {maximum}.", {name: f"a whole number from {minimum} to {maximum}"})
    return int(raw)


def query_enum(name: str, enum_cls: type[E]) -> E | None:
    """The query parameter ``name`` as a member of ``enum_cls``, or None when absent or empty."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        choices = ", ".join(str(member.value) for member in enum_cls)
        raise ValidationFailed(f"{name} must be one of {choices}.", {name: f"one of {choices}"}) from None


def query_text(name: str) -> str | None:
    raw = request.args.get(name)
    return clean_text(raw, name) if raw else None


def query_instant(name: str) -> datetime | None:
    """The query parameter ``name`` as a UTC instant: a date (midnight UTC) or a date-time (UTC when no offset)."""
    raw = request.args.get(name)
    if not raw:
        return None
    message = "an ISO 8601 date or date-time, e.g. 2027-01-15 or 2027-01-15T14:00:00+01:00"
    try:
        moment = _parse_iso(clean_text(raw, name))
    except ValueError:
        raise ValidationFailed(f"{name} is not {message}.", {name: message}) from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValidationFailed(f"{name} is out of range.", {name: f"a year from {MIN_YEAR} to {MAX_YEAR}"})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def check_instant_years(body: Mapping[str, Any], names: tuple[str, ...]) -> None:
    """Refuse ISO 8601 strings whose year is outside MIN_YEAR..MAX_YEAR before a service converts their zone.

    Strings that do not parse are left for the service, which says what format it expects.
    """
    errors = {}
    for name in names:
        value = body.get(name)
        if not isinstance(value, str):
            continue
        try:
            year = _parse_iso(value).year
        except ValueError:
            continue
        if not MIN_YEAR <= year <= MAX_YEAR:
            errors[name] = f"a year from {MIN_YEAR} to {MAX_YEAR}"
    if errors:
        raise ValidationFailed("Some dates are out of range.", errors)


def _parse_iso(value: str) -> datetime:
    """ISO 8601 as ``services.parse_instant`` reads it (``Z`` in either case means UTC); raises ValueError."""
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
