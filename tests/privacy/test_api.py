"""/api/v1/people for admins: the export and the erasure answer the same shape for known and unknown addresses;
the last admin is refused with 409 and nothing changes."""

from __future__ import annotations

from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.privacy.erasure import ErasureCounts
from tests.fixtures.scan import rows_mentioning
from tests.privacy.conftest import ADDRESS, NAME, count


def test_admins_export_an_address_as_the_document_says(client, anna, admin, assert_schema):
    response = client.get(f"/api/v1/people/export?email={ADDRESS.upper()}", headers=admin)

    assert response.status_code == 200
    body = response.get_json()
    assert_schema(body, "PersonExport")
    assert body["person"]["name"] == NAME and len(body["registrations"]) == 2
    assert body["registrations"][0]["answers"] == [{"question": "Dietary needs", "answer": "vegetarian, no nuts"}]


def test_an_unknown_address_exports_the_same_shape_empty(client, anna, admin, assert_schema):
    known = client.get(f"/api/v1/people/export?email={ADDRESS}", headers=admin).get_json()
    unknown = client.get("/api/v1/people/export?email=nobody@example.org", headers=admin).get_json()

    assert_schema(unknown, "PersonExport")
    assert set(unknown) == set(known) and unknown["person"] is None and unknown["registrations"] == []


def test_admins_erase_an_address_and_get_the_counts(client, anna, admin, assert_schema):
    response = client.post("/api/v1/people/erase", json={"email": ADDRESS}, headers=admin)

    assert response.status_code == 200
    body = response.get_json()
    assert_schema(body, "ErasureCounts")
    assert body["people"] == 1 and body["registrations_cancelled"] == 1 and body["emails_deleted"] > 0
    db.session.expire_all()
    assert rows_mentioning(ADDRESS) == [] and rows_mentioning(NAME) == []
    again = client.post("/api/v1/people/erase", json={"email": ADDRESS}, headers=admin).get_json()
    assert again == ErasureCounts().as_dict()


def test_an_unknown_address_erases_nothing_with_the_same_shape(client, anna, admin, assert_schema):
    people = count(Person)

    body = client.post("/api/v1/people/erase", json={"email": "nobody@example.org"}, headers=admin).get_json()

    assert_schema(body, "ErasureCounts")
    assert body == ErasureCounts().as_dict() and count(Person) == people


def test_the_last_admin_is_refused_and_nothing_changes(client, make_user, api_token):
    from eventhub.accounts.models import User

    token = api_token("admin", email="only-admin@example.org")
    db.session.commit()

    response = client.post(
        "/api/v1/people/erase", json={"email": "only-admin@example.org"}, headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["fields"] == {"email": "the last active administrator cannot be erased"}
    assert count(User) == 1


def test_a_malformed_address_is_refused(client, admin):
    assert client.get("/api/v1/people/export?email=nope", headers=admin).status_code == 422
    assert client.post("/api/v1/people/erase", json={"email": "nope"}, headers=admin).status_code == 422
    assert client.post("/api/v1/people/erase", json={}, headers=admin).status_code == 422
