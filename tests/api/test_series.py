"""Series and members through /api/v1, as an organiser's script uses them."""

from eventhub.events.models import Person, SeriesMembership
from eventhub.extensions import db


def test_create_then_get_series(client, admin, assert_schema):
    body = {
        "slug": "buy-social-dk",
        "title": "Buy Social Taskforce Danmark",
        "description": "Numbered meetings",
        "visibility": "members",
    }
    created = client.post("/api/v1/series", json=body, headers=admin)
    assert created.status_code == 201, created.get_json()
    assert created.headers["Location"].endswith("/api/v1/series/buy-social-dk")
    assert_schema(created.get_json(), "Series")
    fetched = client.get("/api/v1/series/buy-social-dk", headers=admin).get_json()
    assert fetched["title"] == "Buy Social Taskforce Danmark"
    assert fetched["visibility"] == "members"
    assert fetched["url"] == "http://eventhub.test/series/buy-social-dk"


def test_duplicate_slug_is_a_conflict(client, admin, make_series):
    make_series(slug="cospro")
    db.session.commit()
    response = client.post("/api/v1/series", json={"slug": "cospro", "title": "Again"}, headers=admin)
    assert response.status_code == 409
    assert response.get_json()["error"]["fields"] == {"slug": "already taken"}


def test_list_series_by_title(client, admin, make_series, assert_schema):
    make_series(slug="b", title="Big Buyers")
    make_series(slug="a", title="Affordable housing")
    db.session.commit()
    body = client.get("/api/v1/series", headers=admin).get_json()
    assert_schema(body, "SeriesList")
    assert [s["slug"] for s in body["items"]] == ["a", "b"]


def test_add_member_creates_the_person_once(client, admin, make_series, count_rows, assert_schema):
    make_series(slug="buy-social-dk")
    db.session.commit()
    member = {"email": "Anna@KK.dk", "name": "Anna Jensen", "organisation": "Københavns Kommune"}
    first = client.post("/api/v1/series/buy-social-dk/members", json=member, headers=admin)
    again = client.post("/api/v1/series/buy-social-dk/members", json=member, headers=admin)
    assert (first.status_code, again.status_code) == (201, 200)
    assert_schema(first.get_json(), "MemberAdded")
    assert first.get_json()["email"] == "anna@kk.dk"
    assert first.get_json()["organisation"] == "Københavns Kommune"
    assert count_rows(SeriesMembership) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Person).where(Person.email == "anna@kk.dk")) == 1


def test_list_members_by_name(client, admin, make_series, assert_schema):
    series = make_series(slug="buy-social-dk")
    from eventhub.events.services import add_series_member

    add_series_member(series, "zoe@example.org", "Zoe")
    add_series_member(series, "bo@example.org", "Bo", role="secretary")
    db.session.commit()
    body = client.get("/api/v1/series/buy-social-dk/members", headers=admin).get_json()
    assert_schema(body, "MemberList")
    assert [(m["name"], m["role"]) for m in body["items"]] == [("Bo", "secretary"), ("Zoe", "member")]


def test_members_of_unknown_series_is_404(client, admin):
    response = client.post("/api/v1/series/nope/members", json={"email": "a@b.dk"}, headers=admin)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
