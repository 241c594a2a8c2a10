"""Requests for an invitation (or to present a case), their rate limit, and the organiser's decision.

The rate limit (``eventhub.ratelimit``) counts *accepted* requests, recorded in the transaction that stores the
request: a refused attempt writes nothing, so a flood of refusals cannot fill the database either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from eventhub import ratelimit
from eventhub.accounts.models import User
from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.errors import Conflict, NotFound, ValidationFailed
from eventhub.events.models import Event, Person
from eventhub.events.people import get_or_create_person
from eventhub.extensions import db
from eventhub.registration import emails
from eventhub.registration.invitations import InviteResult, invite_people
from eventhub.registration.invitee_lists import InviteeRow
from eventhub.registration.models import InvitationRequest, RequestStatus
from eventhub.texts import lazy_text as _l
from eventhub.validation import clean_fields, normalize_email, optional_text, required_text

SCOPE = "invitation-request"
MESSAGE = _l("Too many requests. Please try again later.")


@dataclass(frozen=True)
class RequestInput:
    name: str
    email: str
    organisation: str = ""
    message: str = ""
    case_description: str = ""
    language: str = ""  # of the page it was sent from: the acknowledgement is written in it


def submit_request(event: Event, data: RequestInput, ip: str, now: datetime) -> InvitationRequest:
    """Store a request for an invitation to an invitation-only event. Raises TooManyRequests (429) past the limits,
    NotFound for events that take no requests, ValidationFailed for bad fields."""
    if not event.takes_requests(now):
        raise NotFound(_l("This event takes no requests for an invitation."))
    email = normalize_email(data.email)
    cleaned = _clean_fields(data)
    limits = _limits(email, ip)
    ratelimit.check_limits(SCOPE, limits, now, MESSAGE)
    request = InvitationRequest(
        event=event,
        email=email,
        **cleaned,
        created_at=now,
        updated_at=now,
    )
    db.session.add(request)
    db.session.flush()
    emails.queue_request_received(request, data.language, now)
    ratelimit.prune_attempts(SCOPE, now - max(limit.window for limit in limits.values()))
    ratelimit.record_attempts(SCOPE, limits, now)
    return request


def _clean_fields(data: RequestInput) -> dict[str, str]:
    """The trimmed text fields; raises listing every bad one. The name and organisation end up in email headers
    (To:) and on one line of the organiser's list, so they are single-line; the free-text fields may break lines."""
    return clean_fields(
        {
            "name": lambda: required_text(data.name, "name", 200),
            "organisation": lambda: optional_text(data.organisation, "organisation", 200) or "",
            "message": lambda: optional_text(data.message, "message", 5000, multiline=True) or "",
            "case_description": lambda: (
                optional_text(data.case_description, "case_description", 10000, multiline=True) or ""
            ),
        }
    )


def _limits(email: str, ip: str) -> dict[str, ratelimit.Limit]:
    """Per address, and per client address (an office shares one, so its limit is larger): config.py's settings."""
    config = current_app.config
    return {
        ratelimit.limit_key("email", email): ratelimit.Limit.from_config(config["REQUEST_LIMIT_PER_EMAIL"]),
        ratelimit.limit_key("ip", ip): ratelimit.Limit.from_config(config["REQUEST_LIMIT_PER_IP"]),
    }


def list_requests(event: Event) -> list[InvitationRequest]:
    """Pending first, then decided ones; oldest first within each."""
    order = sa.case((InvitationRequest.status == RequestStatus.PENDING, 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(InvitationRequest)
            .where(InvitationRequest.event_id == event.id)
            .order_by(order, InvitationRequest.created_at, InvitationRequest.id)
        )
    )


def get_request(event: Event, request_id: int) -> InvitationRequest:
    request = db.session.get(InvitationRequest, request_id)
    if request is None or request.event_id != event.id:
        raise NotFound(_l("No request %(id)d for this event.", id=request_id))
    return request


def approve_request(request: InvitationRequest, actor: User, now: datetime) -> InviteResult:
    """Invite the requester (the invitation email goes out). Raises Conflict when already decided. The decision
    and the invitation are recorded in the audit log for ``actor``."""
    _decide(request, RequestStatus.APPROVED, actor, now)
    row = InviteeRow(1, request.email, request.name, request.organisation)
    result = invite_people(request.event, [row], actor, now)
    if result.errors:
        raise ValidationFailed(_l("The request cannot become an invitation."), {"email": result.errors[0]["reason"]})
    person = result.created[0].person if result.created else get_or_create_person(request.email)
    _audit_decision(request, person, actor, now)
    return result


def decline_request(request: InvitationRequest, actor: User, now: datetime) -> InvitationRequest:
    """Decline politely (an email says so). Raises Conflict when already decided."""
    _decide(request, RequestStatus.DECLINED, actor, now)
    person = get_or_create_person(request.email, request.name, request.organisation or None)
    emails.queue_request_declined(request, person, now)
    _audit_decision(request, person, actor, now)
    return request


def _audit_decision(request: InvitationRequest, person: Person, actor: User, now: datetime) -> None:
    audit.record(
        AuditAction.REQUEST_DECIDED, actor=actor, now=now, event=request.event, person=person,
        subject=audit.person_subject(person), fields={"status": (RequestStatus.PENDING, request.status)},
    )  # fmt: skip


def _decide(request: InvitationRequest, status: RequestStatus, actor: User, now: datetime) -> None:
    if request.status != RequestStatus.PENDING:
        approved = request.status == RequestStatus.APPROVED
        raise Conflict(
            _l("This request was approved already.") if approved else _l("This request was declined already.")
        )
    request.status, request.decided_at, request.decided_by_id = status, now, actor.id
    db.session.flush()
