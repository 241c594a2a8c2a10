"""Helpers of the audit tests: reading the entries a test caused, and a small invitation-only conference."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.extensions import db


def entries(action: AuditAction | None = None, **where: Any) -> list[AuditEntry]:
    """The entries (of ``action``, with the given column values), oldest first."""
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action.value)
    for column, value in where.items():
        query = query.where(getattr(AuditEntry, column) == value)
    return list(db.session.scalars(query))


def only_entry(action: AuditAction, **where: Any) -> AuditEntry:
    found = entries(action, **where)
    assert len(found) == 1, [(entry.action, entry.fields) for entry in found]
    return found[0]


@pytest.fixture
def conference(make_series: Callable[..., Any], make_event: Callable[..., Any], now: datetime) -> Any:
    """An invitation-only conference in Prague (zone Europe/Prague), 40 days ahead, in the series ``bsi-cz``."""
    make_series(slug="bsi-cz", title="Buying for Social Impact: Czech Republic")
    return make_event(
        title="BSI national conference Czech Republic", kind="conference", series="bsi-cz",
        timezone="Europe/Prague", starts_at=now + timedelta(days=40), ends_at=now + timedelta(days=40, hours=6),
        invitation_only=True, registration_closes_at=now + timedelta(days=30), capacity=2,
    )  # fmt: skip


@pytest.fixture
def organiser(make_organiser: Callable[..., Any], conference: Any) -> Any:
    """The conference series' organiser (olga@example.org)."""
    return make_organiser(conference.series, email="olga@example.org", name="Olga Organiser")
