"""/api/v1 routes for invitations and registrations of an event (the organisers of its series, and admins).

Same pattern as ``eventhub.events.api``: the route loads the event, the body arrives parsed, one service call,
commit, a model of ``eventhub.registration.schemas`` as the answer.
"""

from __future__ import annotations

from flask import Blueprint, g
from flask.typing import ResponseReturnValue

from eventhub import clock
from eventhub.accounts import permissions
from eventhub.api.routes import Route
from eventhub.api.routes import register_routes as _register
from eventhub.events.api import managed_event
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.registration import invitations as inviting
from eventhub.registration import schemas, services
from eventhub.registration.questions import questions_for


def register_routes(bp: Blueprint) -> None:
    """Add this area's routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    _register(bp, ROUTES)


def create_invitations(event: Event, body: schemas.InvitationsInput) -> ResponseReturnValue:
    """Invite a list of people: 201 with what was created, skipped (already invited) and refused, row by row."""
    rows, errors = body.rows()
    now = clock.now()
    result = inviting.invite_people(event, rows, g.api_user, now, errors)
    # Read before the commit expires them: afterwards each of 5,000 invitations would be loaded again, one by one.
    created = [schemas.Invitation.of(invitation, now) for invitation in result.created]
    db.session.commit()
    return schemas.InvitationResult(created=created, skipped=result.skipped, errors=result.errors), 201


def list_invitations(event: Event, query: schemas.InvitationListQuery) -> schemas.InvitationList:
    """The event's invitations with their status (pending, registered, declined, revoked, expired)."""
    now = clock.now()
    invitations = inviting.list_invitations(event, query.status, now)
    return schemas.InvitationList(items=[schemas.Invitation.of(invitation, now) for invitation in invitations])


def list_registrations(event: Event, query: schemas.RegistrationListQuery) -> schemas.RegistrationList:
    """The event's registrations with status, answers and timestamps (the JSON export)."""
    labels = {str(question.id): question.label for question in questions_for(event)}
    registrations = services.list_registrations(event, query.status)
    return schemas.RegistrationList(items=[schemas.Registration.of(r, labels) for r in registrations])


ROUTES = (
    Route(
        "/events/<int:event_id>/invitations", create_invitations, "POST",
        "Invite people (the event's organisers): each row is checked; bad rows are reported in `errors` by line, "
        "addresses already invited in `skipped`, and the invitation emails are queued for the others",
        {201: schemas.InvitationResult}, (400, 403, 404, 409, 415, 422),
        permission=permissions.can_manage_events, load=managed_event, body=schemas.InvitationsInput,
    ),
    Route(
        "/events/<int:event_id>/invitations", list_invitations, "GET",
        "Invitations of an event with their status (its organisers)", {200: schemas.InvitationList}, (403, 404, 422),
        permission=permissions.can_manage_events, load=managed_event, query=schemas.InvitationListQuery,
    ),
    Route(
        "/events/<int:event_id>/registrations", list_registrations, "GET",
        "Registrations of an event with answers (its organisers)", {200: schemas.RegistrationList}, (403, 404, 422),
        permission=permissions.can_manage_events, load=managed_event, query=schemas.RegistrationListQuery,
    ),
)  # fmt: skip
