"""Events through /api/v1: create, read, list with filters, change and cancel."""

from datetime import timedelta

import pytest

from eventhub.extensions import db

MEETING = {
    "title": "Buy Social Taskforce Danmark, 12th meeting",
    "kind": "meeting",
    "starts_at": "2027-01-15T14:00:00",
    "ends_at": "2027-01-15T16:00:00",
    "timezone": "Europe/Copenhagen",
    "location": "Københavns Rådhus",
    "online_url": "https://meet.example.org/bstd-12",
    "capacity": 40,
    "visibility": "public",
}


@pytest.mark.parametrize(
    ("starts_at", "utc", "local"),
    [
        ("2027-01-15T14:00:00", "2027-01-15T13:00:00+00:00", "2027-01-15T14:00:00+01:00"),  # wall clock in the zone
        ("2027-01-15T14:00:00+00:00", "2027-01-15T14:00:00+00:00", "2027-01-15T15:00:00+01:00"),  # offset wins
        ("2027-07-01T09:30:00", "2027-07-01T07:30:00+00:00", "2027-07-01T09:30:00+02:00"),  # summer time
    ],
)
def test_create_event_reads_times_local_or_with_offset(client, admin, assert_schema, starts_at, utc, local):
    body = {**MEETING, "starts_at": starts_at, "ends_at": starts_at[:11] + "23:00:00" + starts_at[19:]}
    response = client.post("/api/v1/events", json=body, headers=admin)
    assert response.status_code == 201, response.get_json()
    event = response.get_json()
    assert_schema(event, "Event")
    assert (event["starts_at"], event["local_starts_at"]) == (utc, local)
    assert event["url"] == f"http://eventhub.test/events/{event['id']}"
    assert response.headers["Location"].endswith(f"/api/v1/events/{event['id']}")


def test_event_in_a_series_gets_the_next_number(client, admin, make_series, make_event):
    series = make_series(slug="buy-social-dk")
    make_event(series="buy-social-dk", number=11)
    db.session.commit()
    event = client.post("/api/v1/events", json={**MEETING, "series": series.slug}, headers=admin).get_json()
    assert (event["series"], event["number"]) == ("buy-social-dk", 12)


def test_get_event(client, admin, make_event):
    event = make_event(title="Big Buyers working group")
    db.session.commit()
    body = client.get(f"/api/v1/events/{event.id}", headers=admin).get_json()
    assert body["title"] == "Big Buyers working group"
    assert body["status"] == "scheduled"


def test_list_filters_by_series_kind_status_and_start(client, admin, make_series, make_event, now):
    make_series(slug="cospro")
    in_series = make_event(title="Mission", kind="mission", series="cospro", starts_at=now + timedelta(days=10))
    make_event(title="Webinar", kind="webinar", starts_at=now + timedelta(days=20))
    later = make_event(title="Conference", kind="conference", starts_at=now + timedelta(days=400))
    db.session.commit()

    def titles(**query: object) -> list[str]:
        response = client.get("/api/v1/events", query_string=query, headers=admin)
        assert response.status_code == 200, response.get_json()
        return [e["title"] for e in response.get_json()["items"]]

    assert titles() == ["Mission", "Webinar", "Conference"]
    assert titles(series="cospro") == ["Mission"]
    assert titles(kind="webinar") == ["Webinar"]
    assert titles(**{"from": (now + timedelta(days=100)).date().isoformat()}) == ["Conference"]
    assert titles(to=(now + timedelta(days=15)).isoformat()) == ["Mission"]
    assert titles(limit=1, offset=1) == ["Webinar"]
    assert in_series.id and later.id
    client.post(f"/api/v1/events/{later.id}/cancel", headers=admin)
    assert titles(status="cancelled") == ["Conference"]


def test_patch_changes_only_the_given_fields_and_bumps_sequence(client, admin, make_event, assert_schema):
    event = make_event(title="Meeting", location="Aarhus")
    db.session.commit()
    response = client.patch(f"/api/v1/events/{event.id}", json={"location": "Odense", "capacity": 25}, headers=admin)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert_schema(body, "Event")
    assert (body["title"], body["location"], body["capacity"], body["sequence"]) == ("Meeting", "Odense", 25, 1)


def test_patch_times_in_local_wall_clock(client, admin, make_event):
    event = make_event()
    db.session.commit()
    body = {"starts_at": "2027-03-01T10:00:00", "ends_at": "2027-03-01T12:00:00"}
    changed = client.patch(f"/api/v1/events/{event.id}", json=body, headers=admin).get_json()
    assert (changed["starts_at"], changed["local_ends_at"]) == (
        "2027-03-01T09:00:00+00:00",
        "2027-03-01T12:00:00+01:00",
    )


def test_cancel_is_idempotent_and_cancelled_events_cannot_change(client, admin, make_event):
    event = make_event()
    db.session.commit()
    first = client.post(f"/api/v1/events/{event.id}/cancel", headers=admin).get_json()
    second = client.post(f"/api/v1/events/{event.id}/cancel", headers=admin).get_json()
    assert (first["status"], first["sequence"], second["sequence"]) == ("cancelled", 1, 1)
    assert first["cancelled_at"] is not None
    response = client.patch(f"/api/v1/events/{event.id}", json={"title": "Revived"}, headers=admin)
    assert response.status_code == 409


@pytest.mark.parametrize(
    "path", ["/api/v1/events/999999", "/api/v1/events/2147483648", "/api/v1/events/99999999999999999999999"]
)
@pytest.mark.parametrize("method", ["get", "patch"])
def test_unknown_or_impossible_event_id_is_404(client, admin, path, method):
    response = getattr(client, method)(path, json={}, headers=admin)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
