"""Requests for an invitation (or to present a case), their rate limit, and the organiser's decision.

The rate limit counts *accepted* requests, stored in ``rate_limit_attempts`` in the transaction that stores the
request: a refused attempt writes nothing, so a flood of refusals cannot fill the database either. Counting in
the database (not in memory) makes the limit hold across processes and workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from eventhub.accounts.models import User
from eventhub.errors import Conflict, DomainError, NotFound, ValidationFailed
from eventhub.events.models import Event
from eventhub.events.services import get_or_create_person
from eventhub.extensions import db
from eventhub.registration import emails
from eventhub.registration.invitee_lists import InviteeRow
from eventhub.registration.models import InvitationRequest, RateLimitAttempt, RequestStatus
from eventhub.registration.services import InviteResult, invite_people
from eventhub.validation import clean_fields, normalize_email, optional_text, required_text

SCOPE = "invitation-request"
# (attempts, window): per email address, and per IP address (an office shares one address, so it is larger).
DEFAULT_EMAIL_LIMIT = (3, timedelta(days=1))
DEFAULT_IP_LIMIT = (10, timedelta(hours=1))


class RateLimited(DomainError):
    status = 429
    code = "too_many_requests"


@dataclass(frozen=True)
class RequestInput:
    name: str
    email: str
    organisation: str = ""
    message: str = ""
    case_description: str = ""


def submit_request(event: Event, data: RequestInput, ip: str, now: datetime) -> InvitationRequest:
    """Store a request for an invitation to an invitation-only event. Raises RateLimited (429) past the limits,
    NotFound for events that take no requests, ValidationFailed for bad fields."""
    if not event.invitation_only or event.is_cancelled or now >= (event.registration_closes_at or event.starts_at):
        raise NotFound("This event takes no requests for an invitation.")
    email = normalize_email(data.email)
    cleaned = _clean_fields(data)
    keys = {f"email:{email}": _limit("REQUEST_LIMIT_PER_EMAIL", DEFAULT_EMAIL_LIMIT), f"ip:{ip}"[:300]: _limit("REQUEST_LIMIT_PER_IP", DEFAULT_IP_LIMIT)}
    for key, (limit, window) in keys.items():
        if attempts_since(key, now - window) >= limit:
            raise RateLimited("Too many requests. Please try again later.")
    request = InvitationRequest(
        event=event,
        email=email,
        **cleaned,
        created_at=now,
        updated_at=now,
    )
    db.session.add(request)
    prune_attempts(now)  # the table holds only what the windows need, without a job of its own
    db.session.add_all(RateLimitAttempt(scope=SCOPE, key=key, attempted_at=now) for key in keys)
    db.session.flush()
    return request


def _clean_fields(data: RequestInput) -> dict[str, str]:
    """The trimmed text fields; raises listing every bad one. The name and organisation end up in email headers
    (To:) and on one line of the organiser's list, so they are single-line; the free-text fields may break lines."""
    return clean_fields({
        "name": lambda: required_text(data.name, "name", 200),
        "organisation": lambda: optional_text(data.organisation, "organisation", 200) or "",
        "message": lambda: optional_text(data.message, "message", 5000, multiline=True) or "",
        "case_description": lambda: optional_text(data.case_description, "case_description", 10000, multiline=True) or "",
    })


def _limit(config_key: str, default: tuple[int, timedelta]) -> tuple[int, timedelta]:
    value = current_app.config.get(config_key)
    return (int(value[0]), timedelta(seconds=int(value[1]))) if value else default


def attempts_since(key: str, since: datetime) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(RateLimitAttempt).where(
            RateLimitAttempt.scope == SCOPE, RateLimitAttempt.key == key, RateLimitAttempt.attempted_at > since
        )
    )


def prune_attempts(now: datetime) -> int:
    """Forget attempts older than the longest window (the rows only matter inside it)."""
    oldest = now - max(DEFAULT_EMAIL_LIMIT[1], DEFAULT_IP_LIMIT[1])
    return db.session.execute(sa.delete(RateLimitAttempt).where(RateLimitAttempt.attempted_at < oldest)).rowcount or 0


def list_requests(event: Event) -> list[InvitationRequest]:
    """Pending first, then decided ones; oldest first within each."""
    order = sa.case((InvitationRequest.status == RequestStatus.PENDING, 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(InvitationRequest).where(InvitationRequest.event_id == event.id).order_by(order, InvitationRequest.created_at, InvitationRequest.id)
        )
    )


def get_request(event: Event, request_id: int) -> InvitationRequest:
    request = db.session.get(InvitationRequest, request_id)
    if request is None or request.event_id != event.id:
        raise NotFound(f"No request {request_id} for this event.")
    return request


def approve_request(request: InvitationRequest, actor: User, now: datetime) -> InviteResult:
    """Invite the requester (the invitation email goes out). Raises Conflict when already decided."""
    _decide(request, RequestStatus.APPROVED, actor, now)
    row = InviteeRow(1, request.email, request.name, request.organisation)
    result = invite_people(request.event, [row], actor, now)
    if result.errors:
        raise ValidationFailed("The request cannot become an invitation.", {"email": result.errors[0]["reason"]})
    return result


def decline_request(request: InvitationRequest, actor: User, now: datetime) -> InvitationRequest:
    """Decline politely (an email says so). Raises Conflict when already decided."""
    _decide(request, RequestStatus.DECLINED, actor, now)
    person = get_or_create_person(request.email, request.name, request.organisation or None)
    emails.queue_request_declined(request, person, now)
    return request


def _decide(request: InvitationRequest, status: RequestStatus, actor: User, now: datetime) -> None:
    if request.status != RequestStatus.PENDING:
        raise Conflict(f"This request was {request.status.value} already.")
    request.status, request.decided_at, request.decided_by_id = status, now, actor.id
    db.session.flush()
