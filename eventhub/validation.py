"""The shared vocabulary of input checks: text, email addresses, slugs, time zones and local times.

Every area's services, forms, API and CLI check input through these functions, so one rule has one home.
They raise ``ValidationFailed`` whose ``fields`` name the offending input, and import no model. Messages are lazy
(``lazy_gettext``): a page shows them in its reader's language, the API in English (``eventhub.errors``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from eventhub.errors import ValidationFailed
from eventhub.texts import lazy_text as _l

# The field message for a key the input may not have (the API's bodies; a form never sends one).
UNKNOWN_FIELD = _l("unknown field")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Characters no single-line field (name, title, organisation) may hold: every control character (C0, DEL, C1)
# and every other line break of ``str.splitlines`` (U+2028, U+2029). A name ends up in email headers, where
# they jam Python's email generator or start a new header, and PostgreSQL refuses NUL in text at all.
SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Multi-line text (descriptions, minutes) keeps tabs and line breaks; other control characters are refused.
MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# ---------------------------------------------------------------------------------------------------------
# Parsing shared by API, forms and CLI
# ---------------------------------------------------------------------------------------------------------


def normalize_email(value: Any, field_name: str = "email") -> str:
    """The address as eventhub stores it; raises ValidationFailed naming ``field_name`` if it is not one.

    Checked by email-validator, the library WTForms' ``Email()`` uses too, so forms, API, CSV and CLI share
    one rule. The part before the @ must be ASCII (not every mail server takes SMTPUTF8); an internationalised
    domain is kept in its ASCII (IDNA) form. Lower-cased, so one person has one address whatever the capitals.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(_l("An email address is required."), {field_name: _l("not a valid email address")})
    try:
        address = validate_email(value.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        if _has_non_ascii_local_part(value):
            raise ValidationFailed(
                _l("%(value)s: only plain (ASCII) letters are accepted before the @.", value=repr(value)),
                {field_name: _l("only plain (ASCII) letters, digits and punctuation before the @")},
            ) from None
        message = _l("%(value)s is not an email address: %(reason)s", value=repr(value), reason=str(exc))
        raise ValidationFailed(message, {field_name: _l("not a valid email address")}) from None
    return address.ascii_email.lower()


def _has_non_ascii_local_part(value: str) -> bool:
    local = value.strip().rpartition("@")[0]
    return "@" in value and not local.isascii()


def looks_like_email(value: Any) -> bool:
    """Whether ``value`` is an address ``normalize_email`` accepts (for fields that take an address or free text)."""
    try:
        normalize_email(value)
    except ValidationFailed:
        return False
    return True


def supported_languages() -> tuple[str, ...]:
    """The languages eventhub speaks: ``LANGUAGES`` in config.py, the one list forms, services and i18n read."""
    return tuple(current_app.config["LANGUAGES"])


def validate_language(value: Any, field_name: str = "language") -> str:
    """``value`` (trimmed, lower-cased) if eventhub speaks it; raises ValidationFailed naming the choices."""
    languages = supported_languages()
    language = value.strip().lower() if isinstance(value, str) else value
    if language not in languages:
        raise ValidationFailed(
            _l("Unsupported language %(value)s.", value=repr(value)),
            {field_name: _l("one of %(choices)s", choices=", ".join(languages))},
        )
    return language


# A language tag's shape (BCP 47, simplified): a 2- or 3-letter language, then subtags of 2 to 8 letters or digits
# ("pt-BR", "sr-Latn", "zh-Hant-TW"). Checked after lower-casing and turning "_" (as in "pt_BR") into "-".
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
# Tags of a language eventhub speaks under another name: Norwegian ("no") and Nynorsk ("nn") readers read Bokmål
# more easily than English or the event's language.
LANGUAGE_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "nno": "nb", "nor": "nb"}
# Person.language is a String(8): a longer tag of a language eventhub does not speak is kept as its language only.
MAX_LANGUAGE_TAG = 8


def normalize_language(value: Any, field_name: str = "language") -> str:
    """A person's language as eventhub stores it: accepted whether or not eventhub speaks it, so a reader in
    Portuguese keeps "pt" and falls back by ``i18n.choose_reader_language``'s rule until eventhub speaks it.

    Regional variants and aliases of a language eventhub speaks become that language ("de-AT" → "de", "en-IE" →
    "en", "no"/"nn"/"nb-NO" → "nb"); another language keeps its tag lower-cased ("pt-BR" → "pt-br"), or only its
    language where the tag is longer than the column ("zh-hant-tw" → "zh"). Raises ValidationFailed naming
    ``field_name`` for what is no language tag at all ("x1!", "english").
    """
    tag = value.strip().lower().replace("_", "-") if isinstance(value, str) else ""
    if not LANGUAGE_TAG.match(tag):
        raise ValidationFailed(
            f"{value!r} is not a language code.", {field_name: "a language code such as da, de-AT or pt-BR"}
        )
    languages = supported_languages()
    if tag in languages:
        return tag
    primary = tag.split("-", 1)[0]
    primary = LANGUAGE_ALIASES.get(primary, primary)
    if primary in languages:
        return primary
    return tag if len(tag) <= MAX_LANGUAGE_TAG else primary


# The time zones of real places, as the IANA database names them (Area/Location), and UTC. The database also
# holds zones that are no place: ``localtime`` and ``Factory`` (whatever the server says), POSIX rules such as
# ``EST5EDT`` and ``CST6CDT``, abbreviations (``EST``, ``GMT``), sign-inverted ``Etc/GMT+5`` and old aliases
# (``US/Eastern``, ``Japan``): an event in one of those shows a time readers cannot place, or a wrong one.
ZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
TIMEZONE_PATTERN = re.compile(rf"^(UTC|Etc/UTC|({'|'.join(ZONE_AREAS)})/[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*)$")


def validate_timezone(name: str | None, field_name: str = "timezone") -> str:
    """``name`` if it is the IANA time zone of a place (``Europe/Copenhagen``) or UTC (``UTC``, ``Etc/UTC``);
    raises ValidationFailed otherwise (see TIMEZONE_PATTERN for what is refused and why)."""
    if not name or not isinstance(name, str) or not TIMEZONE_PATTERN.match(name) or name not in _zone_names():
        raise ValidationFailed(
            _l("%(name)s is not the IANA time zone of a place, such as Europe/Copenhagen (or UTC).", name=repr(name)),
            {field_name: _l("not an IANA time zone of a place (e.g. Europe/Copenhagen)")},
        )
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            _l("%(name)s is not a known time zone.", name=repr(name)), {field_name: _l("unknown time zone")}
        ) from None
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
                _l("%(value)s is not an ISO 8601 date and time.", value=repr(value)),
                {field_name: _l("expected ISO 8601, e.g. 2027-01-15T14:00:00 or 2027-01-15T14:00:00+01:00")},
            ) from None
    else:
        raise ValidationFailed(
            _l("%(field)s is required.", field=field_name), {field_name: _l("required: an ISO 8601 date and time")}
        )
    if moment.tzinfo is None:
        local = moment.replace(tzinfo=ZoneInfo(zone))
        if local.astimezone(UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None) != moment:
            raise ValidationFailed(
                _l("%(value)s does not exist in %(zone)s (the clocks skip it).", value=str(value), zone=zone),
                {field_name: _l("this local time does not exist in %(zone)s", zone=zone)},
            )
        moment = local
    return moment.astimezone(UTC)


def validate_slug(slug: str | None) -> str:
    slug = (slug or "").strip()
    if not SLUG_PATTERN.match(slug) or len(slug) > 80:
        raise ValidationFailed(
            _l("%(slug)s is not a valid slug.", slug=repr(slug)),
            {"slug": _l("lower-case letters, digits and single hyphens, at most 80")},
        )
    return slug


def has_forbidden_characters(text: str | None, multiline: bool = False) -> bool:
    """Whether ``text`` holds a character its kind of field must not (see SINGLE_LINE_FORBIDDEN)."""
    pattern = MULTI_LINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN
    return bool(text) and pattern.search(text) is not None


def check_characters(text: str, field_name: str, multiline: bool = False) -> str:
    """``text`` unchanged; raises ValidationFailed naming ``field_name`` when it holds a forbidden character."""
    if not has_forbidden_characters(text, multiline):
        return text
    if multiline:
        raise ValidationFailed(
            _l("%(field)s must not contain control characters.", field=field_name),
            {field_name: _l("must not contain control characters")},
        )
    raise ValidationFailed(
        _l("%(field)s must not contain control characters or line breaks.", field=field_name),
        {field_name: _l("must not contain control characters or line breaks")},
    )


def required_text(value: Any, field_name: str, max_length: int, multiline: bool = False) -> str:
    """Trimmed text of at most ``max_length`` characters; single-line unless ``multiline``."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(_l("%(field)s is required.", field=field_name), {field_name: _l("required")})
    text = value.strip()
    if len(text) > max_length:
        raise ValidationFailed(
            _l("%(field)s is too long.", field=field_name),
            {field_name: _l("at most %(count)d characters", count=max_length)},
        )
    return check_characters(text, field_name, multiline)


def optional_text(value: Any, field_name: str, max_length: int, multiline: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return required_text(value, field_name, max_length, multiline)


def clean_text(value: Any, field_name: str, max_length: int, required: bool = True, multiline: bool = False) -> str:
    """``required_text``, or "" for a missing optional value; for fields stored as "" rather than NULL."""
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return ""
    return required_text(value, field_name, max_length, multiline)


def clean_fields(checks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run each field's check and return the cleaned values; raises one ValidationFailed listing every bad field,
    so a form or API caller sees all its mistakes at once."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except ValidationFailed as exc:
            errors.update(exc.fields or {name: exc.message})
    if errors:
        raise ValidationFailed(_l("Some fields are not valid."), errors)
    return values


def description_text(value: Any, field_name: str = "description") -> str:
    """Multi-line text, "" when missing; no length limit of its own (the column is unbounded)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(_l("%(field)s must be text.", field=field_name), {field_name: _l("text")})
    return check_characters(value.strip(), field_name, multiline=True)


def enum_value(enum_cls: type, value: Any, field_name: str):
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum_cls)
        raise ValidationFailed(
            _l("%(field)s: %(value)s is not one of %(choices)s.", field=field_name, value=repr(value), choices=choices),
            {field_name: _l("one of %(choices)s", choices=choices)},
        ) from None


def http_url(value: Any, field_name: str, max_length: int = 500) -> str | None:
    url = optional_text(value, field_name, max_length)
    if url is not None and not re.match(r"^https?://[^\s]+$", url):
        raise ValidationFailed(
            _l("%(field)s must be an http(s) URL.", field=field_name), {field_name: _l("an http:// or https:// URL")}
        )
    return url


def positive_int(value: Any, field_name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationFailed(
            _l("%(field)s must be a whole number of at least 1.", field=field_name),
            {field_name: _l("a whole number >= 1")},
        )
    return value
