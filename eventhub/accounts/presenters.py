"""Page pieces of the members page that are not HTML: the members as a CSV file for a spreadsheet.

Written like the registrations export (``registration.export``): UTF-8 with a byte-order mark, CRLF lines, and
every cell a spreadsheet would read as a formula neutralised by the same function, so a member's name never
runs as a formula on an organiser's machine.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from eventhub.events.models import SeriesMembership
from eventhub.registration.export import BOM, neutralise

MEMBER_COLUMNS = ("email", "name", "organisation", "language", "role", "member_since")


def members_csv(memberships: Iterable[SeriesMembership]) -> str:
    """One row per membership, by the order given; ``member_since`` is the membership's creation (ISO 8601, UTC)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(MEMBER_COLUMNS)
    for membership in memberships:
        person = membership.person
        row = [
            person.email,
            person.name,
            person.organisation.name if person.organisation else "",
            person.language,
            membership.role.value,
            membership.created_at.isoformat() if membership.created_at else "",
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + buffer.getvalue()
