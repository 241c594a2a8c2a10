"""PUT/GET /api/v1/events/<id>/agenda: all or nothing, per-item field errors, a round trip."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.agenda.models import AgendaItem
from eventhub.extensions import db


def _items():
    return [
        {
            "starts_at": "2022-11-15T14:00:00",
            "ends_at": "2022-11-15T14:05:00",
            "title": "Velkommen",
            "owner": "Per Bach",
            "kind": "welcome",
        },
        {
            "starts_at": "2022-11-15T13:05:00+00:00",
            "ends_at": "2022-11-15T14:15:00",
            "title": "Bordet rundt",
            "kind": "round_table",
        },
    ]


def test_put_then_get_round_trips(client, taskforce, bearer):
    headers = bearer(taskforce.organiser)
    path = f"/api/v1/events/{taskforce.meeting3.id}/agenda"

    put = client.put(path, json={"items": _items(), "published": True}, headers=headers)
    got = client.get(path, headers=bearer(taskforce.member))

    assert put.status_code == 200
    assert got.json["items"][1]["starts_at"] == "2022-11-15T14:05:00+01:00"
    assert [i["title"] for i in got.json["items"]] == ["Velkommen", "Bordet rundt"]
    again = client.put(
        path,
        json={
            "items": [
                {k: v for k, v in i.items() if k in ("starts_at", "ends_at", "title", "owner", "kind", "description")}
                for i in got.json["items"]
            ]
        },
        headers=headers,
    )
    assert again.status_code == 200
    assert [(i["starts_at"], i["title"], i["owner"]) for i in again.json["items"]] == [
        (i["starts_at"], i["title"], i["owner"]) for i in got.json["items"]
    ]


def test_a_bad_item_refuses_the_whole_list_with_field_errors(client, taskforce, bearer):
    headers = bearer(taskforce.secretary)
    path = f"/api/v1/events/{taskforce.meeting3.id}/agenda"
    client.put(path, json={"items": _items()}, headers=headers)
    bad = [*_items(), {"starts_at": "2022-11-15T15:00:00", "ends_at": "2022-11-15T14:50:00", "title": "Afrunding"},
           {"starts_at": "0001-01-01T00:00:00+14:00", "ends_at": "2022-11-15T15:30:00", "title": "x\u0000"}]  # fmt: skip

    response = client.put(path, json={"items": bad}, headers=headers)

    assert response.status_code == 422
    assert {"items[3].starts_at", "items[3].title"} <= set(response.json["error"]["fields"])
    response = client.put(path, json={"items": bad[:3]}, headers=headers)
    assert response.json["error"]["fields"] == {"items[2].ends_at": "must be after starts_at"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 2


def test_members_do_not_see_an_unpublished_agenda(client, taskforce, bearer):
    path = f"/api/v1/events/{taskforce.meeting3.id}/agenda"
    client.put(path, json={"items": _items()}, headers=bearer(taskforce.secretary))

    assert client.get(path, headers=bearer(taskforce.member)).json["items"] == []
    assert len(client.get(path, headers=bearer(taskforce.admin)).json["items"]) == 2
