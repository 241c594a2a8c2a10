"""Every API list is paged the same way (``eventhub.api.paging``): ``limit`` (default 50, at most 500) and
``offset`` in the query; ``items``, ``total``, ``limit``, ``offset`` and ``next`` in the answer."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from eventhub.events.services import add_series_member
from eventhub.extensions import db


def get(client, headers, path, **query):
    response = client.get(path, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_events_default_to_fifty_and_say_how_many_there_are(client, admin, make_event, now, assert_schema):
    for i in range(55):
        make_event(title=f"Event {i:02}", starts_at=now + timedelta(days=i + 1))
    db.session.commit()
    body = get(client, admin, "/api/v1/events")
    assert_schema(body, "EventList")
    assert (len(body["items"]), body["total"], body["limit"], body["offset"]) == (50, 55, 50, 0)
    assert parse_qs(urlsplit(body["next"]).query) == {"offset": ["50"]}
    rest = get(client, admin, "/api/v1/events", offset=50)
    assert [e["title"] for e in rest["items"]] == [f"Event {i}" for i in range(50, 55)] and rest["next"] is None


def test_events_total_counts_only_what_the_caller_may_see(client, auth, make_series, make_event, now):
    make_series(slug="closed", visibility="members")
    make_event(title="Open", starts_at=now + timedelta(days=1))
    make_event(title="Closed", series="closed", visibility="members", starts_at=now + timedelta(days=2))
    db.session.commit()
    body = get(client, auth("member"), "/api/v1/events", limit=1)
    assert ([e["title"] for e in body["items"]], body["total"], body["next"]) == (["Open"], 1, None)


def test_series_are_paged(client, admin, make_series, assert_schema):
    for slug in ("c-series", "a-series", "b-series"):
        make_series(slug=slug, title=slug)
    db.session.commit()
    body = get(client, admin, "/api/v1/series", limit=2, offset=1)
    assert_schema(body, "SeriesList")
    assert ([s["slug"] for s in body["items"]], body["total"], body["next"]) == (["b-series", "c-series"], 3, None)


def test_members_are_paged_by_name_with_their_organisation(client, admin, make_series, count_queries):
    series = make_series(slug="big-buyers")
    for i in range(7):
        add_series_member(series, f"m{i}@example.org", f"Member {i}", organisation=f"Org {i}")
    db.session.commit()
    get(client, admin, "/api/v1/series/big-buyers/members")  # warm up
    with count_queries() as counter:
        body = get(client, admin, "/api/v1/series/big-buyers/members", limit=3, offset=3)
    assert [(m["name"], m["organisation"]) for m in body["items"]] == [
        ("Member 3", "Org 3"), ("Member 4", "Org 4"), ("Member 5", "Org 5"),
    ]  # fmt: skip
    assert body["total"] == 7 and parse_qs(urlsplit(body["next"]).query) == {"limit": ["3"], "offset": ["6"]}
    with count_queries() as fewer:
        get(client, admin, "/api/v1/series/big-buyers/members", limit=1)
    assert fewer.count == counter.count  # organisations come with their people, not one query each


def test_the_minutes_archive_is_paged(client, admin, make_series, make_event):
    make_series(slug="cospro", title="COSPRO")
    events = [
        make_event(
            title=f"Webinar {i}", series="cospro", starts_at=f"2021-0{i}-10T10:00", ends_at=f"2021-0{i}-10T11:00"
        )
        for i in (1, 2, 3)
    ]
    db.session.commit()
    for event in events:
        assert client.put(f"/api/v1/events/{event.id}/minutes", json={"body": "# R"}, headers=admin).status_code == 200
        assert client.post(f"/api/v1/events/{event.id}/minutes/publish", headers=admin).status_code == 201
    body = get(client, admin, "/api/v1/series/cospro/minutes", limit=2)
    assert [item["title"] for item in body["items"]] == ["Webinar 3", "Webinar 2"] and body["total"] == 3
    rest = get(client, admin, "/api/v1/series/cospro/minutes", limit=2, offset=2)
    assert [item["title"] for item in rest["items"]] == ["Webinar 1"] and rest["next"] is None


@pytest.mark.parametrize(
    "path", ["/api/v1/events", "/api/v1/series", "/api/v1/series/s/members", "/api/v1/series/s/minutes"]
)
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [({"limit": 501}, "limit", "at most 500"), ({"limit": -1}, "limit", ">= 1"), ({"offset": -1}, "offset", ">= 0")],
)
def test_every_list_refuses_bad_paging_with_422(client, admin, make_series, path, query, field, message):
    make_series(slug="s")
    db.session.commit()
    response = client.get(path, query_string=query, headers=admin)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert field in error["fields"]
    expected = message.replace(">= 1", "greater than or equal to 1").replace(">= 0", "greater than or equal to 0")
    assert expected in error["fields"][field]
