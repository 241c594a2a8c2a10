"""Naming people in agendas and minutes: an email, ``{email, name, organisation}``, or (for owners) free text.

Shared by the agenda and the minutes so the API and the forms accept the same shapes everywhere.
"""

from __future__ import annotations

from typing import Any

from eventhub.errors import ValidationFailed
from eventhub.events.models import Person
from eventhub.events.services import get_or_create_person
from eventhub.validation import looks_like_email

MAX_OWNER_TEXT = 300


def person_reference(value: Any, field_name: str) -> Person:
    """The person ``value`` names (created if new): an email string or an object with ``email`` (and optionally
    ``name``/``organisation``, used only when the person is new). Raises ValidationFailed on ``field_name``."""
    if isinstance(value, str):
        value = {"email": value}
    if not isinstance(value, dict) or not isinstance(value.get("email"), str):
        raise ValidationFailed(f"{field_name}: name a person.", {field_name: "an email or {email, name, organisation}"})
    unknown = set(value) - {"email", "name", "organisation"}
    if unknown:
        raise ValidationFailed(f"{field_name}: unknown fields.", {field_name: "only email, name and organisation"})
    for key in ("name", "organisation"):
        if value.get(key) is not None and (not isinstance(value[key], str) or len(value[key]) > 200):
            raise ValidationFailed(f"{field_name}.{key} is not valid.", {field_name: f"{key}: text of at most 200 characters"})
    try:
        return get_or_create_person(value["email"], value.get("name"), value.get("organisation"))
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, {field_name: next(iter(exc.fields.values()), exc.message)}) from None


def owner_reference(value: Any, field_name: str) -> tuple[Person | None, str | None]:
    """An owner: a person (an email or an object) or free text such as "Per Bach og Anne Rahbek"; None for nobody."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, str) and not looks_like_email(value):
        text = value.strip()
        if len(text) > MAX_OWNER_TEXT:
            raise ValidationFailed(f"{field_name} is too long.", {field_name: f"at most {MAX_OWNER_TEXT} characters"})
        return None, text
    return person_reference(value.strip() if isinstance(value, str) else value, field_name), None


def owner_value(person: Person | None, text: str | None) -> str | None:
    """The owner as the API gives it back: the person's email, else the free text; PUT accepts it again."""
    return person.email if person is not None else text
