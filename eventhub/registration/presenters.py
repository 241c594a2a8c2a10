"""What registration pages and other areas' pages show of registration, decided here so templates only render:
the event page's registration links, and the organiser's invitation and request rows with their actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventhub.accounts.permissions import can_manage_event
from eventhub.events.models import Event
from eventhub.registration.models import Invitation, InvitationRequest, InvitationStatus, RequestStatus


def registration_links(event: Event, viewer: Any, now: datetime) -> dict[str, bool]:
    """For the event page: whether to offer the request form (while requests are open) and the organiser pages."""
    return {
        "can_request": event.takes_requests(now),
        "can_manage": can_manage_event(viewer, event),
    }


@dataclass(frozen=True)
class InvitationRow:
    """One line of the organiser's invitation list: the status as shown (expired computed) and what may be done."""

    invitation: Invitation
    status: InvitationStatus
    can_resend: bool
    can_revoke: bool


def invitation_rows(invitations: list[Invitation], now: datetime) -> list[InvitationRow]:
    return [InvitationRow(i, i.status_at(now), i.can_resend(now), i.can_revoke(now)) for i in invitations]


@dataclass(frozen=True)
class RequestRow:
    """One request for an invitation, and whether it still waits for the organiser's decision."""

    request: InvitationRequest
    can_decide: bool


def request_rows(requests: list[InvitationRequest]) -> list[RequestRow]:
    return [RequestRow(item, item.status == RequestStatus.PENDING) for item in requests]


def invitation_was_declined(invitation: Invitation) -> bool:
    """The invitation page says so: the invitee may still change their mind and register."""
    return invitation.status == InvitationStatus.DECLINED
