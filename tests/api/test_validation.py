"""Bad input is refused with 4xx and the field at fault, and nothing is written."""

import pytest

from eventhub.events.models import Event, Organisation, Person, Series, SeriesMembership
from eventhub.extensions import db

GOOD_EVENT = {
    "title": "Meeting",
    "starts_at": "2027-01-15T14:00:00",
    "ends_at": "2027-01-15T16:00:00",
    "timezone": "Europe/Copenhagen",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": 1}, "timezone"),
        ({"ends_at": "2027-01-15T13:00:00"}, "ends_at"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:30:00+01:00"}, "starts_at"),
        ({"ends_at": "9999-12-31T23:30:00-01:00"}, "ends_at"),
        ({"starts_at": "2027-03-28T02:30:00"}, "starts_at"),  # skipped by Copenhagen's clocks
        ({"capacity": 0}, "capacity"),
        ({"capacity": "40"}, "capacity"),
        ({"capacity": True}, "capacity"),
        ({"capacity": 2**31}, "capacity"),
        ({"number": 10**30}, "number"),
        ({"title": "Nul\x00byte"}, "title"),
        ({"location": "\x00"}, "location"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 20_001}, "description"),
        ({"kind": None}, "kind"),
        ({"reminder_offsets": [-5]}, "reminder_offsets[0]"),
        ({"title": ["a list"]}, "title"),
        ({"series": "no-such-series"}, "series"),
        ({"invitation_only": "yes"}, "invitation_only"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_event_fields_are_422_and_write_nothing(client, admin, count_rows, changes, field):
    response = client.post("/api/v1/events", json={**GOOD_EVENT, **changes}, headers=admin)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert count_rows(Event) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "Not A Slug", "title": "T"}, "slug"),
        ({"slug": 42, "title": "T"}, "slug"),
        ({"slug": "ok", "title": ""}, "title"),
        ({"slug": "ok", "title": "T", "visibility": "secret"}, "visibility"),
        ({"slug": "ok", "title": "T", "description": "a\x00b"}, "description"),
        ({"slug": "ok", "title": "T", "description": "\ud800"}, "description"),
    ],
)
def test_bad_series_fields_are_422_and_write_nothing(client, admin, count_rows, body, field):
    response = client.post("/api/v1/series", json=body, headers=admin)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert count_rows(Series) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": 7}, "email"),
        ({"email": "a@b.dk", "organisation": 7}, "organisation"),
        ({"email": "a@b.dk", "organisation": "New organisation", "name": "x" * 201}, "name"),
        ({"email": "a@b.dk", "role": "chair"}, "role"),
    ],
)
def test_bad_member_fields_are_422_and_write_nothing(client, admin, make_series, count_rows, body, field):
    make_series(slug="s")
    db.session.commit()
    before = (count_rows(Person), count_rows(Organisation))
    response = client.post("/api/v1/series/s/members", json=body, headers=admin)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert (count_rows(Person), count_rows(Organisation), count_rows(SeriesMembership)) == (*before, 0)


@pytest.mark.parametrize(
    "data",
    [b"{not json", b"[1, 2]", b'"a string"', b"\xff\xfe\x00", b"[" * 100_000, b'{"capacity": ' + b"9" * 5000 + b"}"],
    ids=["malformed", "array", "string", "bad-bytes", "deep", "huge-int"],
)
def test_bodies_that_are_not_json_objects_are_400(client, admin, count_rows, data):
    response = client.post("/api/v1/events", data=data, content_type="application/json", headers=admin)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert count_rows(Event) == 0


def test_body_that_is_not_declared_json_is_415(client, admin):
    response = client.post(
        "/api/v1/series", data="slug=a&title=b", content_type="application/x-www-form-urlencoded", headers=admin
    )
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": 10**12}, "offset"),
        ({"kind": "party"}, "kind"),
        ({"status": "\x00"}, "status"),
        ({"from": "yesterday"}, "from"),
        ({"to": "0001-01-01"}, "to"),
        ({"series": "a\x00b"}, "series"),
        ({"kind": ""}, "kind"),  # empty is not "no filter": the enum has no empty member
        ({"knd": "meeting"}, "knd"),  # a misspelt filter must not silently list everything
    ],
)
def test_bad_list_filters_are_422(client, admin, query, field):
    response = client.get("/api/v1/events", query_string=query, headers=admin)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    "path", ["/api/v1/series/a%00b", "/api/v1/series/" + "a" * 500, "/api/v1/series/a%00b/members"]
)
def test_impossible_slugs_in_paths_are_404(client, admin, path):
    assert client.get(path, headers=admin).status_code == 404


def test_failed_patch_changes_nothing(client, admin, make_event):
    event = make_event(title="Meeting", capacity=10)
    db.session.commit()
    response = client.patch(
        f"/api/v1/events/{event.id}", json={"capacity": 20, "ends_at": "2000-01-01T00:00:00"}, headers=admin
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 10


def test_a_huge_body_gets_a_bounded_list_of_field_errors(client, admin, make_event):
    """Every bad agenda item is an error, but the answer names at most MAX_FIELD_ERRORS of them."""
    from eventhub.api.parsing import MAX_FIELD_ERRORS

    event = make_event()
    db.session.commit()
    items = [{"starts_at": "bad", "title": ""} for _ in range(200)]
    response = client.put(f"/api/v1/events/{event.id}/agenda", json={"items": items}, headers=admin)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert len(error["fields"]) == MAX_FIELD_ERRORS
    assert "first 50 shown" in error["message"]


def test_deep_nesting_inside_a_valid_body_is_400_or_422_never_500(client, admin, make_event):
    event = make_event()
    db.session.commit()
    deep = "[" * 5000 + "]" * 5000
    data = '{"items": [{"starts_at": "2027-01-15T14:00:00", "title": "x", "owner": ' + deep + "}]}"
    response = client.put(
        f"/api/v1/events/{event.id}/agenda", data=data, content_type="application/json", headers=admin
    )
    assert response.status_code in (400, 422)


@pytest.mark.parametrize(
    "value", ["2027-01-15", "2027-01-15 14:00:00", "2027-01-15T14", "2027-02-30T10:00:00", "٢٠٢٧-01-15T14:00:00"]
)
def test_times_the_document_forbids_are_refused(client, admin, count_rows, value):
    """The documented pattern (a T, hours and minutes, ASCII digits) is what the parser takes, nothing more."""
    response = client.post("/api/v1/events", json={**GOOD_EVENT, "starts_at": value}, headers=admin)
    assert response.status_code == 422, response.get_json()
    assert "starts_at" in response.get_json()["error"]["fields"]
    assert count_rows(Event) == 0


@pytest.mark.parametrize("value", ["2027-01-15 14:00", "20270115", "2027-W03"])
def test_list_filters_take_only_documented_dates(client, admin, value):
    response = client.get("/api/v1/events", query_string={"from": value}, headers=admin)
    assert response.status_code == 422
    assert "from" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("offsets", "stored"), [([60, 1440], [1440, 60]), ([], []), (None, None)], ids=["two", "none", "inherit"]
)
def test_reminder_offsets_are_accepted_and_returned(client, admin, offsets, stored):
    response = client.post("/api/v1/events", json={**GOOD_EVENT, "reminder_offsets": offsets}, headers=admin)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["reminder_offsets"] == stored


@pytest.mark.parametrize("offsets", [[0], [60, 60], [True], list(range(1, 12)), [60 * 24 * 61], "60"])
def test_bad_reminder_offsets_are_422(client, admin, count_rows, offsets):
    response = client.post("/api/v1/events", json={**GOOD_EVENT, "reminder_offsets": offsets}, headers=admin)
    assert response.status_code == 422, response.get_json()
    assert any(name.startswith("reminder_offsets") for name in response.get_json()["error"]["fields"])
    assert count_rows(Event) == 0


def test_the_body_is_not_read_before_the_caller_is_authorised(client, auth, make_event):
    """A member who may see an event but not edit its agenda gets 403 for a malformed body as for a good one."""
    event = make_event()
    db.session.commit()
    path = f"/api/v1/events/{event.id}/agenda"
    response = client.put(path, data=b"{not json", content_type="application/json", headers=auth("member"))
    assert response.status_code == 403
