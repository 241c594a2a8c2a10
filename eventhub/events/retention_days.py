"""Retention periods: the rule for the ``retention_days`` columns of events and series.

A retention period is a number of days after an event's END; once it has passed, the retention job
(``eventhub.privacy.retention``) anonymises the event's personal data. An event's own period wins, then its
series', then the site's ``RETENTION_DAYS``. ``None`` means "inherit". The rule lives beside the columns it
checks (like ``reminder_offsets``), so events validates it without knowing the privacy area exists.
"""

from __future__ import annotations

from typing import Any

from eventhub.errors import ValidationFailed

# At least a day: attendance is often ticked and minutes circulated the day after a meeting, and anonymising
# non-members' attendance before that would leave the secretary with blank rows. At most ten years.
MIN_RETENTION_DAYS = 1
MAX_RETENTION_DAYS = 3650


def clean_retention_days(value: Any, field_name: str = "retention_days") -> int | None:
    """``value`` as a whole number of days from 1 to 3650; None (or an empty string) stays None (inherit).
    Raises ValidationFailed for anything else (booleans included: ``True`` is an ``int`` in Python)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_RETENTION_DAYS <= value <= MAX_RETENTION_DAYS:
        problem = f"a whole number of days from {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS}"
        raise ValidationFailed(f"{field_name} must be {problem}.", {field_name: problem})
    return value


def resolve_retention_days(event_days: int | None, series_days: int | None, default: int) -> int:
    """The inheritance rule on plain values: the event's days, else the series', else ``default`` (config)."""
    if event_days is not None:
        return event_days
    if series_days is not None:
        return series_days
    return int(default)
