"""Per-event figures for the organiser's dashboard (``/manage``), for many events in a few grouped queries.

A dashboard lists dozens of events; asking per event would be one query per row per figure. Each function
here takes the ids of the events shown and answers for all of them at once. Read-only: nothing is changed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import (
    Invitation,
    InvitationRequest,
    InvitationStatus,
    Registration,
    RegistrationStatus,
    RequestStatus,
)


@dataclass(frozen=True)
class EventFigures:
    """How an event stands: invitations sent (revoked ones not counted), places taken, places waited for,
    invitations declined, and requests for an invitation nobody has answered yet."""

    invited: int = 0
    registered: int = 0
    waiting: int = 0
    declined: int = 0
    pending_requests: int = 0


def figures_for(event_ids: Collection[int]) -> dict[int, EventFigures]:
    """``EventFigures`` for each of ``event_ids`` (zeros for an event with nothing yet), in three queries."""
    ids = list(event_ids)
    if not ids:
        return {}
    invitations = _invitation_counts(ids)
    registrations = _registration_counts(ids)
    requests = _pending_request_counts(ids)
    return {
        event_id: EventFigures(
            invited=sum(n for status, n in invitations.get(event_id, {}).items() if status != InvitationStatus.REVOKED),
            registered=registrations.get(event_id, {}).get(RegistrationStatus.CONFIRMED, 0),
            waiting=registrations.get(event_id, {}).get(RegistrationStatus.WAITLISTED, 0),
            declined=invitations.get(event_id, {}).get(InvitationStatus.DECLINED, 0),
            pending_requests=requests.get(event_id, 0),
        )
        for event_id in ids
    }


def _invitation_counts(ids: list[int]) -> dict[int, dict[InvitationStatus, int]]:
    query = (
        sa.select(Invitation.event_id, Invitation.status, sa.func.count())
        .where(Invitation.event_id.in_(ids))
        .group_by(Invitation.event_id, Invitation.status)
    )
    return _nested(db.session.execute(query), InvitationStatus)


def _registration_counts(ids: list[int]) -> dict[int, dict[RegistrationStatus, int]]:
    query = (
        sa.select(Registration.event_id, Registration.status, sa.func.count())
        .where(Registration.event_id.in_(ids))
        .group_by(Registration.event_id, Registration.status)
    )
    return _nested(db.session.execute(query), RegistrationStatus)


def _pending_request_counts(ids: list[int]) -> dict[int, int]:
    query = (
        sa.select(InvitationRequest.event_id, sa.func.count())
        .where(InvitationRequest.event_id.in_(ids), InvitationRequest.status == RequestStatus.PENDING)
        .group_by(InvitationRequest.event_id)
    )
    return {event_id: count for event_id, count in db.session.execute(query)}


def _nested(rows, status_enum) -> dict:
    counts: dict[int, dict] = {}
    for event_id, status, count in rows:
        counts.setdefault(event_id, {})[status_enum(status)] = count
    return counts
