"""The shared vocabulary of input checks: text, email addresses, slugs, time zones and local times.

Every area's services, forms, API and CLI check input through these functions, so one rule has one home.
They raise ``ValidationFailed`` whose ``fields`` name the offending input, and import no model.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from eventhub.errors import ValidationFailed

# Control characters are excluded explicitly: ``\s`` does not cover NUL, which PostgreSQL refuses in text.
_ADDRESS_PART = r"[^@\s<>(),;:\"\[\]\x00-\x1f\x7f-\x9f]+"
EMAIL_PATTERN = re.compile(rf"^{_ADDRESS_PART}@{_ADDRESS_PART}\.{_ADDRESS_PART}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Characters no single-line field (name, title, organisation) may hold: every control character (C0, DEL, C1)
# and every other line break of ``str.splitlines`` (U+2028, U+2029). A name ends up in email headers, where
# they jam Python's email generator or start a new header, and PostgreSQL refuses NUL in text at all.
SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Multi-line text (descriptions, minutes) keeps tabs and line breaks; other control characters are refused.
MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SUPPORTED_LANGUAGES = ("en", "da")

# ---------------------------------------------------------------------------------------------------------
# Parsing shared by API, forms and CLI
# ---------------------------------------------------------------------------------------------------------


def normalize_email(value: str | None, field_name: str = "email") -> str:
    """Trimmed and lower-cased, so one person has one address whatever the capitals; raises if malformed."""
    email = (value or "").strip().lower()
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise ValidationFailed(f"{value!r} is not an email address.", {field_name: "not a valid email address"})
    return email


def validate_timezone(name: str | None, field_name: str = "timezone") -> str:
    if not name or not isinstance(name, str) or name not in _zone_names():
        raise ValidationFailed(
            f"{name!r} is not an IANA time zone such as Europe/Copenhagen.",
            {field_name: "not an IANA time zone (e.g. Europe/Copenhagen)"},
        )
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(f"{name!r} is not a known time zone.", {field_name: "unknown time zone"}) from None
    return name


def _zone_names() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


_ZONES: set[str] | None = None


def parse_instant(value: Any, zone: str, field_name: str) -> datetime:
    """An ISO 8601 string (or datetime) as a UTC instant.

    A value with an offset is taken as it is; a value without one is wall-clock time in ``zone``
    (``2027-01-15T14:00:00`` in Europe/Copenhagen is 13:00 UTC). A wall-clock time that does not exist in
    that zone (skipped by a daylight-saving change) is refused rather than guessed.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValidationFailed(
                f"{value!r} is not an ISO 8601 date and time.",
                {field_name: "expected ISO 8601, e.g. 2027-01-15T14:00:00 or 2027-01-15T14:00:00+01:00"},
            ) from None
    else:
        raise ValidationFailed(f"{field_name} is required.", {field_name: "required: an ISO 8601 date and time"})
    if moment.tzinfo is None:
        local = moment.replace(tzinfo=ZoneInfo(zone))
        if local.astimezone(timezone.utc).astimezone(ZoneInfo(zone)).replace(tzinfo=None) != moment:
            raise ValidationFailed(
                f"{value} does not exist in {zone} (the clocks skip it).",
                {field_name: f"this local time does not exist in {zone}"},
            )
        moment = local
    return moment.astimezone(timezone.utc)


def validate_slug(slug: str | None) -> str:
    slug = (slug or "").strip()
    if not SLUG_PATTERN.match(slug) or len(slug) > 80:
        raise ValidationFailed(
            f"{slug!r} is not a valid slug.", {"slug": "lower-case letters, digits and single hyphens, at most 80"}
        )
    return slug


def has_forbidden_characters(text: str | None, multiline: bool = False) -> bool:
    """Whether ``text`` holds a character its kind of field must not (see SINGLE_LINE_FORBIDDEN)."""
    pattern = MULTI_LINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN
    return bool(text) and pattern.search(text) is not None


def check_characters(text: str, field_name: str, multiline: bool = False) -> str:
    """``text`` unchanged; raises ValidationFailed naming ``field_name`` when it holds a forbidden character."""
    if has_forbidden_characters(text, multiline):
        kind = "control characters" if multiline else "control characters or line breaks"
        raise ValidationFailed(f"{field_name} must not contain {kind}.", {field_name: f"must not contain {kind}"})
    return text


def required_text(value: Any, field_name: str, max_length: int, multiline: bool = False) -> str:
    """Trimmed text of at most ``max_length`` characters; single-line unless ``multiline``."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(f"{field_name} is required.", {field_name: "required"})
    text = value.strip()
    if len(text) > max_length:
        raise ValidationFailed(f"{field_name} is too long.", {field_name: f"at most {max_length} characters"})
    return check_characters(text, field_name, multiline)


def optional_text(value: Any, field_name: str, max_length: int, multiline: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return required_text(value, field_name, max_length, multiline)


def description_text(value: Any, field_name: str = "description") -> str:
    """Multi-line text, "" when missing; no length limit of its own (the column is unbounded)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{field_name} must be text.", {field_name: "text"})
    return check_characters(value.strip(), field_name, multiline=True)


def enum_value(enum_cls: type, value: Any, field_name: str):
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum_cls)
        raise ValidationFailed(f"{field_name}: {value!r} is not one of {choices}.", {field_name: f"one of {choices}"}) from None


def http_url(value: Any, field_name: str, max_length: int = 500) -> str | None:
    text = optional_text(value, field_name, max_length)
    if text is not None and not re.match(r"^https?://[^\s]+$", text):
        raise ValidationFailed(f"{field_name} must be an http(s) URL.", {field_name: "an http:// or https:// URL"})
    return text


def positive_int(value: Any, field_name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationFailed(f"{field_name} must be a whole number of at least 1.", {field_name: "a whole number >= 1"})
    return value
