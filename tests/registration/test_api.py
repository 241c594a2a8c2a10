"""/api/v1/events/<id>/invitations and /registrations: row-by-row results, statuses, answers, and who may call."""

from __future__ import annotations

import pytest

from eventhub.extensions import db
from eventhub.registration.questions import add_question
from eventhub.registration.services import register_invitee


@pytest.fixture
def event(conference):
    event = conference(capacity=1)
    db.session.commit()
    return event


def test_post_invitations_answers_created_skipped_and_errors(client, admin, event, assert_schema):
    body = {
        "invitees": [
            {"email": "Mette@KK.dk", "name": "Mette Jørgensen", "organisation": "Københavns Kommune", "language": "da"},
            {"email": "mette@kk.dk", "name": "Again"},
            {"email": "broken", "name": "X"},
            {"email": "long@example.org", "name": "N" * 201},
            "not an object",
            {"email": "x@example.org", "unknown": 1},
        ]
    }
    response = client.post(f"/api/v1/events/{event.id}/invitations", json=body, headers=admin)
    assert response.status_code == 201, response.get_json()
    result = response.get_json()
    assert_schema(result, "InvitationResult")
    assert [(c["email"], c["status"]) for c in result["created"]] == [("mette@kk.dk", "pending")]
    assert result["skipped"] == [{"line": 2, "email": "mette@kk.dk", "reason": "listed twice"}]
    assert [e["line"] for e in result["errors"]] == [3, 4, 5, 6]
    again = client.post(f"/api/v1/events/{event.id}/invitations", json=body, headers=admin).get_json()
    assert again["created"] == [] and again["skipped"][0]["reason"] == "already invited"


@pytest.mark.parametrize("body", [{}, {"invitees": "a@example.org"}, {"invitees": [], "extra": 1}])
def test_bad_bodies_are_422(client, admin, event, body):
    assert client.post(f"/api/v1/events/{event.id}/invitations", json=body, headers=admin).status_code == 422


def test_get_invitations_and_registrations_with_status_and_answers(client, admin, event, invite, now, assert_schema):
    question = add_question(event, "yes_no", "Vegetarian lunch?")
    first, _ = invite(event, "a@example.org", "A")
    second, _ = invite(event, "b@example.org", "B")
    invite(event, "c@example.org", "C")
    register_invitee(first, "A", None, {question.field_name: "yes"}, now)
    register_invitee(second, "B", None, {}, now)
    db.session.commit()
    invitations = client.get(f"/api/v1/events/{event.id}/invitations", headers=admin).get_json()
    assert_schema(invitations, "InvitationList")
    assert sorted(i["status"] for i in invitations["items"]) == ["pending", "registered", "registered"]
    pending = client.get(f"/api/v1/events/{event.id}/invitations?status=pending", headers=admin).get_json()
    assert [i["email"] for i in pending["items"]] == ["c@example.org"]
    registrations = client.get(f"/api/v1/events/{event.id}/registrations", headers=admin).get_json()
    assert_schema(registrations, "RegistrationList")
    assert [(r["email"], r["status"]) for r in registrations["items"]] == [
        ("a@example.org", "confirmed"),
        ("b@example.org", "waitlisted"),
    ]
    assert registrations["items"][0]["answers"] == [
        {"question_id": question.id, "question": "Vegetarian lunch?", "answer": True}
    ]


@pytest.mark.parametrize("caller", ["anonymous", "member", "secretary", "other_organiser", "organiser", "admin"])
@pytest.mark.parametrize(
    ("method", "path"), [("get", "invitations"), ("post", "invitations"), ("get", "registrations")]
)
def test_permission_matrix(client, auth, organiser_auth, event, caller, method, path):
    """The event's organiser and admins; an organiser who did not create this event (it has no series) gets 403."""
    headers = {
        "anonymous": lambda: {},
        "organiser": lambda: organiser_auth(event),
        "other_organiser": lambda: organiser_auth(),
    }.get(caller, lambda: auth(caller))()
    body = {"invitees": [{"email": "new@example.org"}]} if method == "post" else None
    response = getattr(client, method)(f"/api/v1/events/{event.id}/{path}", json=body, headers=headers)
    expected = {"anonymous": 401, "member": 403, "secretary": 403, "other_organiser": 403}.get(
        caller, 201 if method == "post" else 200
    )
    assert response.status_code == expected


def test_unknown_event_is_404(client, admin):
    assert client.get("/api/v1/events/999999/registrations", headers=admin).status_code == 404
    assert client.get("/api/v1/events/99999999999/invitations", headers=admin).status_code == 404
