"""Who may give whom which role in a series: organisers add plain members, only admins appoint secretaries and
organisers (a secretary edits and publishes minutes, which an organiser may not, and an organiser of a series runs it,
so an organiser must not appoint themself or anyone else)."""

import pytest

from eventhub.accounts.memberships import grant_series_membership
from eventhub.accounts.permissions import can_grant_membership_role
from eventhub.errors import NotAllowed, ValidationFailed
from eventhub.events.models import MembershipRole, SeriesMembership
from eventhub.events.services import add_series_member
from eventhub.extensions import db

# actor's global role → the membership roles they may grant
MATRIX = {
    "admin": {MembershipRole.MEMBER, MembershipRole.SECRETARY, MembershipRole.ORGANISER},
    "organiser": {MembershipRole.MEMBER},
    "secretary": set(),
    "member": set(),
}


@pytest.mark.parametrize("actor_role", MATRIX)
@pytest.mark.parametrize("granted", list(MembershipRole))
def test_the_rule_for_every_role(make_user, actor_role, granted):
    assert can_grant_membership_role(make_user(actor_role), granted) is (granted in MATRIX[actor_role])


def test_nobody_anonymous_grants_anything():
    assert not any(can_grant_membership_role(None, role) for role in MembershipRole)


@pytest.mark.parametrize("actor_role", MATRIX)
@pytest.mark.parametrize("granted", list(MembershipRole))
def test_the_service_enforces_the_rule(make_user, make_series, actor_role, granted):
    actor, series = make_user(actor_role), make_series()
    make_user("organiser", email="new@example.org")  # an organiser needs an account that may organise
    if granted in MATRIX[actor_role]:
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


@pytest.mark.parametrize("role", ["secretary", "organiser"])
@pytest.mark.parametrize(("caller", "status"), [("organiser", 403), ("admin", 201)])
def test_an_organiser_cannot_appoint_themself_or_others_through_the_api(
    client, auth, organiser_auth, make_user, make_series, caller, status, role
):
    """The series' own organiser may not make anyone (themself included) its secretary or another organiser."""
    series = make_series(slug="taskforce")
    if caller == "organiser":
        headers = organiser_auth(series, email="organiser@example.org")
        body = {"email": "organiser@example.org" if role == "secretary" else "colleague@example.org", "role": role}
        make_user("organiser", email="colleague@example.org")
    else:
        headers = auth(caller, email=f"{caller}@example.org")
        body = {"email": f"{caller}@example.org", "role": role}
    db.session.commit()
    response = client.post("/api/v1/series/taskforce/members", json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    if status == 403:
        assert response.get_json()["error"]["code"] == "forbidden"
        assert response.get_json()["error"]["fields"] == {"role": "only admins may grant this role"}
        granted = db.select(db.func.count()).select_from(SeriesMembership).where(SeriesMembership.role == role)
        assert db.session.scalar(granted) == (1 if role == "organiser" else 0)  # only the caller's own


def test_the_series_organiser_still_adds_plain_members_through_the_api(client, organiser_auth, make_series):
    series = make_series(slug="taskforce")
    body = {"email": "anna@example.org"}
    response = client.post("/api/v1/series/taskforce/members", json=body, headers=organiser_auth(series))
    assert response.status_code == 201
    assert response.get_json()["role"] == "member"


def test_an_organiser_of_another_series_may_not_add_members_through_the_api(client, organiser_auth, make_series):
    make_series(slug="taskforce")
    headers = organiser_auth(make_series(slug="cospro"))
    response = client.post("/api/v1/series/taskforce/members", json={"email": "anna@example.org"}, headers=headers)
    assert response.status_code == 403
    assert client.get("/api/v1/series/taskforce/members", headers=headers).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(SeriesMembership)) == 1  # their own, of cospro


@pytest.mark.parametrize(
    ("role", "field_message"),
    [("member", "the account must have the role organiser or admin"), (None, "no account with this address")],
)
def test_an_organiser_needs_an_account_that_may_organise(client, auth, make_user, make_series, role, field_message):
    make_series(slug="taskforce")
    if role is not None:
        make_user(role, email="anna@example.org")
    headers = auth("admin")
    body = {"email": "anna@example.org", "role": "organiser"}
    response = client.post("/api/v1/series/taskforce/members", json=body, headers=headers)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["fields"] == {"email": field_message}
    assert db.session.scalar(db.select(db.func.count()).select_from(SeriesMembership)) == 0


def test_an_admin_appoints_an_organiser_through_the_api(client, auth, make_user, make_series):
    make_series(slug="taskforce")
    make_user("organiser", email="anna@example.org")
    headers = auth("admin")
    body = {"email": "anna@example.org", "role": "organiser"}
    first = client.post("/api/v1/series/taskforce/members", json=body, headers=headers)
    again = client.post("/api/v1/series/taskforce/members", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["role"] == "organiser"


def test_a_member_raised_to_organiser_and_a_secretary_kept(make_user, make_series):
    """One role per series: a plain member becomes organiser; a secretary is not silently turned into one."""
    admin, series = make_user("admin"), make_series()
    for email in ("anna@example.org", "bo@example.org"):
        make_user("organiser", email=email)
    add_series_member(series, "anna@example.org")
    add_series_member(series, "bo@example.org", role="secretary")
    membership, raised = grant_series_membership(admin, series, "anna@example.org", role="organiser")
    assert raised and membership.role == MembershipRole.ORGANISER
    from eventhub.errors import Conflict

    with pytest.raises(Conflict):
        grant_series_membership(admin, series, "bo@example.org", role="organiser")
    assert {m.person.email: m.role for m in series.memberships}["bo@example.org"] == MembershipRole.SECRETARY


def test_nobody_may_be_made_organiser_without_an_account(make_user, make_series):
    with pytest.raises(ValidationFailed):
        grant_series_membership(make_user("admin"), make_series(), "nobody@example.org", role="organiser")
