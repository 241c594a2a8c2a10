"""The building blocks of every API body model: text the database can store, 4-byte integers, ISO 8601 times.

Each rule is declared once, as an ``Annotated`` type, so the model that checks a body and the OpenAPI document
that describes it say the same thing: a length, a pattern or a range written here is both enforced by pydantic
and emitted into the JSON Schema. The character rules come from ``eventhub.validation`` (the services use the
same ones); what the document cannot express (a real calendar date, the year range) is checked by a validator.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

from eventhub.validation import TIMEZONE_PATTERN, has_forbidden_characters

INT4_MIN = -(2**31)
INT4_MAX = 2**31 - 1
# Instants outside these years are typing mistakes, and near year 1 or 9999 converting zones overflows.
MIN_YEAR = 1900
MAX_YEAR = 2999
# ISO 8601 with a "T" and at least hours and minutes, as ``datetime.fromisoformat`` reads it: a date alone or a
# space separator is refused here, so the documented pattern and the parser agree. [0-9], not \d (any digit).
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME = r"T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?"
INSTANT_PATTERN = rf"^{_DATE}{_TIME}$"
DATE_PATTERN = rf"^{_DATE}$"
DATE_OR_INSTANT_PATTERN = rf"^{_DATE}({_TIME})?$"
SLUG_SCHEMA_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LINK_SCHEMA_PATTERN = r"^https?://\S+$"
# The same characters as eventhub.validation's SINGLE_LINE_FORBIDDEN / MULTI_LINE_FORBIDDEN, for the document.
SINGLE_LINE_SCHEMA_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"
MULTI_LINE_SCHEMA_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"


class InputModel(BaseModel):
    """A request body: unknown fields are errors. Every scalar type here is ``Strict`` (no "40" for 40, no
    "yes" for true); enums stay lax so their JSON values ("meeting") are read as members."""

    model_config = ConfigDict(extra="forbid")


class QueryModel(BaseModel):
    """Query parameters: strings read as their declared types ("10" as 10); an unknown parameter is refused (422),
    so a misspelt filter (``?stauts=``) never silently returns everything."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class OutputModel(BaseModel):
    """A response body, read from ORM objects; closed (``additionalProperties: false``) and every field listed
    as required in the document, since every field is always present (``null`` when empty)."""

    model_config = ConfigDict(
        extra="forbid", from_attributes=True, json_schema_serialization_defaults_required=True, use_enum_values=False
    )


def _storable(value: str) -> str:
    """Lone surrogates (possible in JSON's \\ud800 escapes) cannot be encoded as UTF-8, so no column takes them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def _single_line(value: str) -> str:
    if has_forbidden_characters(value):
        raise ValueError("must not contain control characters or line breaks")
    return _storable(value)


def _multi_line(value: str) -> str:
    if has_forbidden_characters(value, multiline=True):
        raise ValueError("must not contain control characters")
    return _storable(value)


def is_storable_text(value: str) -> bool:
    """Whether ``value`` is single-line text a column could hold (for tokens and other header values)."""
    try:
        _single_line(value)
    except ValueError:
        return False
    return True


def SingleLine(max_length: int, min_length: int = 0, **schema: Any) -> Any:  # noqa: N802 (a type factory)
    """A name, title or address: no control characters or line breaks, at most ``max_length`` characters."""
    return Annotated[
        str,
        Strict(),
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_single_line),
        Field(json_schema_extra={"pattern": SINGLE_LINE_SCHEMA_PATTERN, **schema}),
    ]


def MultiLine(max_length: int, min_length: int = 0, **schema: Any) -> Any:  # noqa: N802 (a type factory)
    """Markdown or a description: line breaks and tabs allowed, other control characters not."""
    return Annotated[
        str,
        Strict(),
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_multi_line),
        Field(json_schema_extra={"pattern": MULTI_LINE_SCHEMA_PATTERN, **schema}),
    ]


def _known_instant(value: str) -> str:
    """A real date and time whose year is plausible; the string itself goes on to the service, which reads
    it in the right zone (a time without offset is wall-clock time there)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError("not a valid date and time") from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"a year from {MIN_YEAR} to {MAX_YEAR}")
    return value


def _known_day(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("not a valid date") from None
    return value


Int4 = Annotated[int, Strict(), Field(ge=INT4_MIN, le=INT4_MAX)]
PositiveInt4 = Annotated[int, Strict(), Field(ge=1, le=INT4_MAX)]
Slug = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=80, pattern=SLUG_SCHEMA_PATTERN)]
Email = SingleLine(254, 1, format="email", examples=["anna@kk.dk"])
TimeZoneName = Annotated[
    str,
    Strict(),
    StringConstraints(min_length=1, max_length=64, pattern=TIMEZONE_PATTERN.pattern),
    Field(json_schema_extra={"format": "iana-time-zone", "examples": ["Europe/Copenhagen"]}),
]
LocalDateTime = Annotated[
    str,
    Strict(),
    StringConstraints(max_length=40, pattern=INSTANT_PATTERN),
    AfterValidator(_known_instant),
    Field(json_schema_extra={"format": "local-or-offset-date-time"}),
]
Day = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=DATE_PATTERN),
    AfterValidator(_known_day),
    Field(json_schema_extra={"format": "date"}),
]


def Link(max_length: int) -> Any:  # noqa: N802 (a type factory)
    """An http(s) URL without spaces."""
    return Annotated[str, Strict(), StringConstraints(max_length=max_length, pattern=LINK_SCHEMA_PATTERN)]


# Output: instants as ``datetime.isoformat`` writes them (``+00:00``, not pydantic's ``Z``), as the API always has.
Instant = Annotated[
    datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]
