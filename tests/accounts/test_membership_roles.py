"""Who may give whom which role in a series: organisers add plain members, only admins appoint secretaries
(a secretary edits and publishes minutes, which an organiser may not, so an organiser must not appoint themself)."""

import pytest

from eventhub.accounts.memberships import grant_series_membership
from eventhub.accounts.permissions import can_grant_membership_role
from eventhub.errors import NotAllowed
from eventhub.events.models import MembershipRole, SeriesMembership
from eventhub.events.services import add_series_member
from eventhub.extensions import db

# actor's global role → (may grant "member", may grant "secretary")
MATRIX = {
    "admin": (True, True),
    "organiser": (True, False),
    "secretary": (False, False),
    "member": (False, False),
}


@pytest.mark.parametrize("actor_role", MATRIX)
@pytest.mark.parametrize("granted", list(MembershipRole))
def test_the_rule_for_every_role(make_user, actor_role, granted):
    expected = MATRIX[actor_role][list(MembershipRole).index(granted)]
    assert can_grant_membership_role(make_user(actor_role), granted) is expected


def test_nobody_anonymous_grants_anything():
    assert not any(can_grant_membership_role(None, role) for role in MembershipRole)


@pytest.mark.parametrize("actor_role", MATRIX)
@pytest.mark.parametrize("granted", list(MembershipRole))
def test_the_service_enforces_the_rule(make_user, make_series, actor_role, granted):
    actor, series = make_user(actor_role), make_series()
    if MATRIX[actor_role][list(MembershipRole).index(granted)]:
        membership, created = grant_series_membership(actor, series, "new@example.org", role=granted)
        assert created and membership.role == granted
    else:
        with pytest.raises(NotAllowed):
            grant_series_membership(actor, series, "new@example.org", role=granted)


def test_an_organiser_cannot_raise_an_existing_member_to_secretary(make_user, make_series):
    organiser, series = make_user("organiser"), make_series()
    grant_series_membership(organiser, series, "anna@example.org")
    with pytest.raises(NotAllowed):
        grant_series_membership(organiser, series, "anna@example.org", role="secretary")
    assert db.session.scalar(db.select(SeriesMembership.role)) == MembershipRole.MEMBER


def test_the_operator_without_an_actor_may_appoint_secretaries(make_series):
    """The command line and the demo loader act as the operator (no actor)."""
    membership, _ = add_series_member(make_series(), "bo@example.org", role="secretary")
    assert membership.role == MembershipRole.SECRETARY


@pytest.mark.parametrize(("caller", "status"), [("organiser", 403), ("admin", 201)])
def test_an_organiser_cannot_appoint_themself_secretary_through_the_api(client, auth, make_series, caller, status):
    make_series(slug="taskforce")
    headers = auth(caller, email=f"{caller}@example.org")
    body = {"email": f"{caller}@example.org", "role": "secretary"}
    response = client.post("/api/v1/series/taskforce/members", json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    if status == 403:
        assert response.get_json()["error"]["code"] == "forbidden"
        assert response.get_json()["error"]["fields"] == {"role": "only admins may grant this role"}
        assert db.session.scalar(db.select(db.func.count()).select_from(SeriesMembership)) == 0


def test_an_organiser_still_adds_plain_members_through_the_api(client, auth, make_series):
    make_series(slug="taskforce")
    body = {"email": "anna@example.org"}
    response = client.post("/api/v1/series/taskforce/members", json=body, headers=auth("organiser"))
    assert response.status_code == 201
    assert response.get_json()["role"] == "member"
