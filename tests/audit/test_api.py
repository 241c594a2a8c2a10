"""GET /api/v1/events/<id>/audit and /api/v1/series/<slug>/audit: the entries newest first as
``{"items": [{"at", "actor", "action", "fields", ...}], "total", "limit", "offset", "next"}``, for whoever manages
the event or series; and no route, HTML or API, changes an entry once written."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.audit.log import record
from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.extensions import db


@pytest.fixture
def headers(bearer, organiser, commit):
    commit()
    return bearer(organiser)


def test_an_events_log_newest_first_with_actor_action_and_fields(
    client, headers, conference, organiser, now, assert_schema
):
    record(AuditAction.EVENT_MOVED, actor=organiser, now=now + timedelta(hours=1), event=conference,
           fields={"starts_at": (conference.starts_at, conference.starts_at + timedelta(days=1))})  # fmt: skip
    db.session.commit()

    response = client.get(f"/api/v1/events/{conference.id}/audit", headers=headers)

    assert response.status_code == 200
    body = response.get_json()
    assert_schema(body, "AuditList")
    assert (body["total"], body["limit"], body["offset"], body["next"]) == (2, 50, 0, None)
    moved, created = body["items"]
    assert moved == {
        "at": (now + timedelta(hours=1)).isoformat(), "actor": "olga@example.org", "action": "event.moved",
        "event_id": conference.id, "subject": "",
        "fields": {"starts_at": ["2027-01-02T12:00:00+00:00", "2027-01-03T12:00:00+00:00"]},
    }  # fmt: skip
    assert (created["action"], created["actor"]) == ("event.created", None)


def test_the_log_is_paged_and_filtered_by_action(client, headers, conference, organiser, now):
    for minute in range(3):
        record(AuditAction.INVITATION_RESENT, actor=organiser, now=now + timedelta(minutes=minute), event=conference)
    db.session.commit()
    path = f"/api/v1/events/{conference.id}/audit"

    first = client.get(f"{path}?limit=2", headers=headers).get_json()
    assert (len(first["items"]), first["total"]) == (2, 4)
    assert first["next"].endswith(f"{path}?limit=2&offset=2")
    resent = client.get(f"{path}?action=invitation.resent", headers=headers).get_json()
    assert [item["action"] for item in resent["items"]] == ["invitation.resent"] * 3
    assert client.get(f"{path}?action=nonsense", headers=headers).status_code == 422


def test_a_series_log_includes_its_events(client, headers, conference, organiser, now):
    record(AuditAction.MEMBER_ADDED, actor=organiser, now=now, series=conference.series)
    db.session.commit()

    body = client.get("/api/v1/series/bsi-cz/audit", headers=headers).get_json()

    assert sorted((item["action"], item["event_id"]) for item in body["items"]) == [
        ("event.created", conference.id), ("member.added", None), ("series.created", None),
    ]  # fmt: skip


def test_only_whoever_manages_the_event_may_read_its_log(client, auth, organiser_auth, conference, commit):
    commit()
    other = organiser_auth()
    assert client.get(f"/api/v1/events/{conference.id}/audit", headers=other).status_code == 403
    assert client.get("/api/v1/series/bsi-cz/audit", headers=other).status_code == 403
    assert client.get(f"/api/v1/events/{conference.id}/audit", headers=auth("member")).status_code == 403
    admin = auth("admin")
    assert client.get(f"/api/v1/events/{conference.id}/audit", headers=admin).status_code == 200
    assert client.get(f"/api/v1/events/{conference.id + 1000}/audit", headers=admin).status_code == 404
    assert client.get("/api/v1/series/no-such/audit", headers=admin).status_code == 404


# ---------------------------------------------------------------------------------------------------------
# Append-only, at the edge
# ---------------------------------------------------------------------------------------------------------


def test_every_route_of_the_audit_log_only_reads(app):
    """No page or API operation of the log takes a method that could change it."""
    audit_rules = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert {rule.endpoint for rule in audit_rules} == {
        "audit.event_log", "audit.event_log_csv", "audit.series_log", "audit.series_log_csv",
        "api.event_audit", "api.series_audit",
    }  # fmt: skip
    assert all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_rules)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_to_the_log_through_the_api_is_not_allowed(client, auth, conference, method, commit):
    commit()
    admin = auth("admin")
    response = getattr(client, method)(f"/api/v1/events/{conference.id}/audit", json={"items": []}, headers=admin)
    assert response.status_code == 405
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) > 0


def _rows() -> list[tuple]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(sa.select(AuditEntry.__table__).order_by(AuditEntry.id))]


def test_changes_through_the_api_only_ever_add_entries(client, auth, conference, commit):
    """Entries written before a run of changes (edit, invite, cancel) are exactly as they were afterwards."""
    commit()
    admin = auth("admin")
    before = _rows()
    event = f"/api/v1/events/{conference.id}"
    assert client.patch(event, json={"location": "Brno", "capacity": 5}, headers=admin).status_code == 200
    invitees = {"invitees": [{"email": "anna@example.org"}, {"email": "bo@example.org"}]}
    assert client.post(f"{event}/invitations", json=invitees, headers=admin).status_code == 201
    assert client.post(f"{event}/cancel", headers=admin).status_code == 200

    after = _rows()
    assert after[: len(before)] == before
    assert [row[4] for row in after[len(before) :]] == ["event.updated", "invitations.sent", "event.cancelled"]
