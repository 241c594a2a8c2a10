"""Consent on record (issue 13): which consent text, in which version, a person agreed to and when.

A placeholder: the consent helper's module replaces this file on merge (the lead keeps theirs). The privacy export
calls ``consent_records_of`` so a person's export shows their consents once they are recorded.
"""

from __future__ import annotations

from typing import Any


def consent_records_of(person: Any) -> list[dict]:
    """Every consent ``person`` gave, as JSON-ready dicts; replaced by the consent records (none are kept yet)."""
    return []
