"""Stand-ins: how eventhub forgets a person and keeps its counts.

A registration, invitation or attendance row must keep existing after its person is erased or its event's
retention period passes: the organiser's page still says 80 registered, 64 came, 12 from public buyers. So the
row is not deleted; its person is replaced by a *stand-in*, a ``Person`` with no name, an address that can never
receive mail (``…@anonymised.invalid``, RFC 2606), no language of their own, reminders off, and ``anonymised_at``
set; the organisation is kept only where the series chose to keep organisations. Each replaced person gets their
own stand-in, so "how many different people came" stays countable too.

Both erasure (``privacy.erasure``: one person, everywhere) and retention (``privacy.retention``: one event,
everyone) use this module; neither keeps a copy of what it replaced.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa

from eventhub.events.models import Person
from eventhub.extensions import db

STAND_IN_DOMAIN = "anonymised.invalid"


def is_stand_in_address(email: str) -> bool:
    """True for a stand-in's address: never email it (the outbox refuses such recipients)."""
    return email.lower().endswith("@" + STAND_IN_DOMAIN)


def new_stand_in(now: datetime, organisation_id: int | None = None, language: str | None = None) -> Person:
    """A new stand-in, added to the session (flushed, so it has an id)."""
    stand_in = Person(
        name="",
        email=f"anonymised-{secrets.token_hex(10)}@{STAND_IN_DOMAIN}",
        organisation_id=organisation_id,
        language=language,
        reminders_enabled=False,
        anonymised_at=now,
    )
    db.session.add(stand_in)
    db.session.flush()
    return stand_in


def stand_in_for(person: Person, now: datetime, keep_organisation: bool) -> Person:
    """A stand-in to take ``person``'s place (their organisation only if ``keep_organisation``)."""
    return new_stand_in(now, person.organisation_id if keep_organisation else None, person.language)


def not_a_stand_in() -> sa.ColumnElement[bool]:
    """A WHERE clause for queries of people to write to or list by name: stand-ins are neither."""
    return Person.anonymised_at.is_(None)
