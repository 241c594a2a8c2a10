"""Fixtures for reminder tests: a registered person, and reading the reminder rows of the outbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus


@pytest.fixture
def make_registration(app, make_person, now) -> Callable[..., Any]:
    """``make_registration(event, **person_fields)`` registers a new person at ``event``."""
    from eventhub.registration.services import register

    def factory(event: Any, **person_fields: Any):
        return register(event, make_person(**person_fields), now)

    return factory


@pytest.fixture
def reminders(app) -> Callable[..., list[OutboxMessage]]:
    """``reminders(status=None)``: the reminder rows of the outbox, oldest first, optionally of one status."""

    def query(status: OutboxStatus | None = None) -> list[OutboxMessage]:
        statement = sa.select(OutboxMessage).where(OutboxMessage.kind == "reminder").order_by(OutboxMessage.id)
        if status is not None:
            statement = statement.where(OutboxMessage.status == status)
        return list(db.session.scalars(statement))

    return query
