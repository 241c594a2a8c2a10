"""Fixtures for the invitation path: an invitation-only conference, invitations with their link tokens, and
readers of the outbox (the emails a test caused, their links and their calendar parts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage


@pytest.fixture
def conference(make_event: Callable[..., Any], now: datetime) -> Callable[..., Any]:
    """``conference(**overrides)``: an invitation-only conference in Prague 40 days ahead, closing 30 days ahead."""

    def factory(**overrides: Any):
        values = {
            "title": "Buying for Social Impact: national conference Czech Republic",
            "kind": "conference",
            "timezone": "Europe/Prague",
            "starts_at": now + timedelta(days=40),
            "ends_at": now + timedelta(days=40, hours=6),
            "location": "Prague, Ministry of Labour and Social Affairs",
            "invitation_only": True,
            "registration_closes_at": now + timedelta(days=30),
        }
        values.update(overrides)
        return make_event(**values)

    return factory


@pytest.fixture
def invite(now: datetime) -> Callable[..., tuple[Any, str]]:
    """``invite(event, email, name=...)`` → (invitation, the token of its link, read from its email)."""
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow

    def factory(
        event: Any,
        email: str = "anna@example.org",
        name: str = "Anna Novák",
        organisation: str = "",
        language: str = "",
        at: datetime | None = None,
    ):
        result = invite_people(event, [InviteeRow(1, email, name, organisation, language)], None, at or now)
        invitation = result.created[0]
        return invitation, token_from(last_email("invitation", invitation.person.email))

    return factory


def emails_of(kind: str | None = None, to: str | None = None) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if to:
        query = query.where(OutboxMessage.recipient_email == to)
    return list(db.session.scalars(query))


def last_email(kind: str, to: str | None = None) -> OutboxMessage:
    found = emails_of(kind, to)
    assert found, f"no {kind} email to {to}"
    return found[-1]


def token_from(message: OutboxMessage, path: str = "invitations") -> str:
    match = re.search(rf"/{path}/([A-Za-z0-9_-]+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def answers_form(questions: list[Any], values: dict[str, Any]) -> dict[str, Any]:
    """Form data with ``values`` keyed by question label."""
    by_label = {question.label: question.field_name for question in questions}
    return {by_label[label]: value for label, value in values.items()}


def as_received(message: OutboxMessage) -> dict[str, Any]:
    """``message`` as a mail client shows it: the built MIME message parsed back, its subject, plain-text body
    and the METHOD of its calendar part (None without one)."""
    from email import message_from_bytes, policy

    from eventhub.mail.message import OutgoingEmail, build_message

    raw = build_message(OutgoingEmail.from_row(message), "eventhub <noreply@eventhub.test>", datetime.now())
    parsed = message_from_bytes(raw, policy=policy.default)
    body = parsed.get_body(preferencelist=("plain",)).get_content()
    method = None
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            method = part.get_param("method")
    return {"subject": str(parsed["Subject"]), "to": str(parsed["To"]), "text": body, "method": method}
