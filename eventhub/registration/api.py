"""/api/v1 routes for invitations and registrations of an event (organisers and admins only).

Same pattern as ``eventhub.events.api``: parse, authorize, one service call, commit, answer JSON. An invitee list
is checked row by row: a bad row is reported in ``errors`` with its line (its 1-based position in ``invitees``)
and does not stop the others.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify
from flask.typing import ResponseReturnValue

from eventhub.accounts import permissions
from eventhub.api.auth import require_api_user
from eventhub.api.parsing import INT4_MAX, NoneType, json_object, query_enum, text_problem
from eventhub.db import utcnow
from eventhub.errors import NotFound, ValidationFailed
from eventhub.events.models import Event
from eventhub.events.services import get_event
from eventhub.extensions import db
from eventhub.registration import services
from eventhub.registration.export import registration_json
from eventhub.registration.invitee_lists import MAX_ROWS, InviteeRow, RowError
from eventhub.registration.models import Invitation, InvitationStatus, RegistrationStatus
from eventhub.registration.questions import questions_for

INVITEE_FIELDS = ("email", "name", "organisation", "language")
ANY_JSON = (list, dict, str, int, float, bool, NoneType)


def register_routes(bp: Blueprint) -> None:
    """Add this area's routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    for rule, view, methods in ROUTES:
        bp.add_url_rule(rule, view.__name__, view, methods=methods)


def _event(event_id: int) -> Event:
    if event_id > INT4_MAX:
        raise NotFound(f"No event {event_id}.")
    return get_event(event_id)


def invitation_json(invitation: Invitation, now) -> dict[str, Any]:
    person = invitation.person
    return {
        "id": invitation.id,
        "email": person.email,
        "name": person.name,
        "organisation": person.organisation.name if person.organisation else None,
        "language": person.language,
        "status": invitation.status_at(now).value,
        "invited_at": invitation.created_at.isoformat(),
        "last_sent_at": invitation.last_sent_at.isoformat(),
        "send_count": invitation.send_count,
        "responded_at": invitation.responded_at.isoformat() if invitation.responded_at else None,
        "expires_at": invitation.expires_at().isoformat(),
    }


@require_api_user(permissions.can_manage_events)
def create_invitations(event_id: int) -> ResponseReturnValue:
    """Invite a list of people: 201 with what was created, skipped (already invited) and refused, row by row."""
    # Every JSON type is let through and the list checked here, so a wrong type gets this field's own message.
    body = json_object({"invitees": ANY_JSON})
    if not isinstance(body.get("invitees"), list):
        raise ValidationFailed("invitees is required.", {"invitees": "required: a list of {email, name, organisation, language}"})
    if len(body["invitees"]) > MAX_ROWS:
        raise ValidationFailed("Too many invitees.", {"invitees": f"at most {MAX_ROWS}"})
    event = _event(event_id)
    rows, errors = _rows(body["invitees"])
    now = utcnow()
    result = services.invite_people(event, rows, g.api_user, now, errors)
    db.session.commit()
    return {
        "created": [invitation_json(invitation, now) for invitation in result.created],
        "skipped": result.skipped,
        "errors": result.errors,
    }, 201


def _rows(items: list[Any]) -> tuple[list[InviteeRow], list[RowError]]:
    rows: list[InviteeRow] = []
    errors: list[RowError] = []
    for line, item in enumerate(items, start=1):
        problem = _item_problem(item)
        if problem:
            email = item.get("email") if isinstance(item, dict) and isinstance(item.get("email"), str) else ""
            errors.append(RowError(line, problem, email[:254] if not text_problem(email) else ""))
            continue
        rows.append(InviteeRow(line, *((item.get(name) or "") for name in INVITEE_FIELDS)))
    return rows, errors


def _item_problem(item: Any) -> str | None:
    if not isinstance(item, dict):
        return "expected an object with email, name, organisation, language"
    unknown = sorted(set(item) - set(INVITEE_FIELDS))
    if unknown:
        return "unknown field " + ", ".join(unknown)
    for name in INVITEE_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            return f"{name}: expected a string"
        if isinstance(value, str) and text_problem(value):
            return f"{name}: {text_problem(value)}"
    return None


@require_api_user(permissions.can_manage_events)
def list_invitations(event_id: int) -> ResponseReturnValue:
    """The event's invitations with their status (pending, registered, declined, revoked, expired)."""
    event = _event(event_id)
    now = utcnow()
    status = query_enum("status", InvitationStatus)
    return jsonify(items=[invitation_json(i, now) for i in services.list_invitations(event, status, now)])


@require_api_user(permissions.can_manage_events)
def list_registrations(event_id: int) -> ResponseReturnValue:
    """The event's registrations with status, answers and timestamps (the JSON export)."""
    event = _event(event_id)
    status = query_enum("status", RegistrationStatus)
    labels = {str(question.id): question.label for question in questions_for(event)}
    return jsonify(items=[registration_json(r, labels) for r in services.list_registrations(event, status)])


ROUTES = (
    ("/events/<int:event_id>/invitations", create_invitations, ["POST"]),
    ("/events/<int:event_id>/invitations", list_invitations, ["GET"]),
    ("/events/<int:event_id>/registrations", list_registrations, ["GET"]),
)
