"""Reminder offsets: the rule for the ``reminder_offsets`` columns of events and series.

Offsets are minutes before an event's start. An event's own list wins, then its series' list, then the
default (7 days and 1 day). ``None`` means "inherit"; an empty list means "no reminders for this one".
They live beside the columns they validate, so events checks them without knowing the reminders area exists;
reminders imports them from here, never the reverse.
"""

from __future__ import annotations

from typing import Any

from eventhub.errors import ValidationFailed
from eventhub.texts import LazyText
from eventhub.texts import lazy_text as _l

DEFAULT_OFFSETS: tuple[int, ...] = (7 * 24 * 60, 24 * 60)
MAX_OFFSETS = 10
MAX_OFFSET_MINUTES = 60 * 24 * 60


def clean_reminder_offsets(value: Any, field_name: str = "reminder_offsets") -> list[int] | None:
    """``value`` as a list of distinct positive minutes, largest first; None stays None (inherit).

    Raises ValidationFailed for anything else: more than ten offsets, duplicates, non-integers (booleans
    included, since ``True`` is an ``int`` in Python), zero, negatives, or more than 60 days.
    """
    if value is None:
        return None
    if not isinstance(value, list | tuple) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ValidationFailed(
            _l("Reminder offsets must be a list of whole minutes."), {field_name: _l("a list of whole minutes")}
        )
    problem = _offsets_problem(list(value))
    if problem:
        raise ValidationFailed(_l("Reminder offsets: %(problem)s.", problem=problem), {field_name: problem})
    return sorted(value, reverse=True)


def _offsets_problem(offsets: list[int]) -> LazyText | None:
    if len(offsets) > MAX_OFFSETS:
        return _l("at most %(count)d reminders", count=MAX_OFFSETS)
    if len(set(offsets)) != len(offsets):
        return _l("each offset only once")
    if any(offset <= 0 for offset in offsets):
        return _l("offsets must be positive")
    if any(offset > MAX_OFFSET_MINUTES for offset in offsets):
        return _l("at most %(count)d minutes (60 days) before the start", count=MAX_OFFSET_MINUTES)
    return None


def resolve_offsets(event_offsets: list[int] | None, series_offsets: list[int] | None) -> tuple[int, ...]:
    """The inheritance rule on plain values, so the planner can apply it without loading each series."""
    if event_offsets is not None:
        return tuple(event_offsets)
    if series_offsets is not None:
        return tuple(series_offsets)
    return DEFAULT_OFFSETS
