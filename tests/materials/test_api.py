"""/api/v1/events/<id>/materials: multipart uploads, the list, removal, who may, and the size limit."""

from __future__ import annotations

import io

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.materials.models import Material
from tests.materials.conftest import PDF

URL = "/api/v1/events/{id}/materials"


def _post(client, event, headers, **form):
    return client.post(URL.format(id=event.id), data=form, headers=headers, content_type="multipart/form-data")


def test_upload_list_and_delete(client, taskforce, bearer, stored_files, swept):
    headers = bearer(taskforce.secretary)
    event = taskforce.meeting3
    created = _post(client, event, headers, title="Slides", file=(io.BytesIO(PDF), "slides.pdf"), dated_on="2022-11-15")
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["content_type"] == "application/pdf" and body["size"] == len(PDF)
    assert body["url"] == f"http://eventhub.test/events/{event.id}/materials/{body['id']}/slides.pdf"
    link = _post(client, event, headers, title="Report", url="https://buysocial.ie/report")
    assert link.status_code == 201 and link.get_json()["url"] == "https://buysocial.ie/report"

    listed = client.get(URL.format(id=event.id), headers=bearer(taskforce.member)).get_json()
    assert [item["title"] for item in listed["items"]] == ["Slides", "Report"] and listed["total"] == 2

    deleted = client.delete(f"{URL.format(id=event.id)}/{body['id']}", headers=headers)
    assert deleted.status_code == 204 and deleted.data == b""
    assert stored_files() == 1 and len(swept()) == 1 and stored_files() == 0
    assert client.delete(f"{URL.format(id=event.id)}/{body['id']}", headers=headers).status_code == 404


def test_refusals(client, taskforce, bearer):
    event = taskforce.meeting3
    for user, status in ((taskforce.member, 403), (taskforce.outsider, 404)):
        refused = _post(client, event, bearer(user), title="Slides", file=(io.BytesIO(PDF), "slides.pdf"))
        assert refused.status_code == status
    headers = bearer(taskforce.secretary)
    neither = _post(client, event, headers, title="Nothing")
    assert neither.status_code == 422 and "file" in neither.get_json()["error"]["fields"]
    both = _post(client, event, headers, title="Both", url="https://x.org", file=(io.BytesIO(PDF), "a.pdf"))
    assert both.status_code == 422
    as_json = client.post(URL.format(id=event.id), json={"title": "x", "url": "https://x.org"}, headers=headers)
    assert as_json.status_code == 415
    assert _post(client, event, headers, title="x", url="https://x.org", agenda_item="7").status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Material.id))) == 0


def test_a_30_mb_upload_is_413_in_the_api_format_without_anything_stored(client, taskforce, bearer, stored_files):
    huge = io.BytesIO(PDF + b"0" * (30 * 1024 * 1024))
    response = _post(client, taskforce.meeting3, bearer(taskforce.secretary), title="Huge", file=(huge, "huge.pdf"))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
    assert db.session.scalar(sa.select(sa.func.count(Material.id))) == 0 and stored_files() == 0


def test_the_limit_is_the_configured_one(app, client, taskforce, bearer, stored_files):
    app.config["MAX_UPLOAD_MB"] = 1
    big = io.BytesIO(PDF + b"0" * (1024 * 1024 + 1))
    response = _post(client, taskforce.meeting3, bearer(taskforce.secretary), title="Big", file=(big, "big.pdf"))
    assert response.status_code == 413 and stored_files() == 0
    small = _post(client, taskforce.meeting3, bearer(taskforce.secretary), title="Ok", file=(io.BytesIO(PDF), "a.pdf"))
    assert small.status_code == 201


def test_other_routes_keep_the_small_limit(client, taskforce, bearer):
    body = {"title": "x" * (4 * 1024 * 1024)}
    response = client.put(
        f"/api/v1/events/{taskforce.meeting3.id}/agenda", json=body, headers=bearer(taskforce.secretary)
    )
    assert response.status_code == 413
