"""A series' defaults for its events through /api/v1: organiser name, reminder offsets (minutes before the start)
and language, set on POST, read on GET, changed with PATCH by the series' organisers; events' language."""

import pytest
import sqlalchemy as sa

from eventhub.events.models import Series
from eventhub.extensions import db

EVENT = {"title": "Meeting", "starts_at": "2027-02-01T10:00:00", "ends_at": "2027-02-01T11:00:00",
         "timezone": "Europe/Warsaw"}  # fmt: skip


def _series(slug: str) -> Series:
    db.session.expire_all()
    return db.session.scalar(sa.select(Series).where(Series.slug == slug))


def test_a_series_is_created_with_its_defaults_and_reads_them_back(client, admin, assert_schema):
    body = {"slug": "bsi", "title": "BSI conferences", "organiser_name": "Erhvervsstyrelsen",
            "reminder_offsets": [1440, 10080], "language": "da"}  # fmt: skip

    created = client.post("/api/v1/series", json=body, headers=admin)

    assert created.status_code == 201, created.get_json()
    assert_schema(created.get_json(), "Series")
    fetched = client.get("/api/v1/series/bsi", headers=admin).get_json()
    assert (fetched["organiser_name"], fetched["reminder_offsets"], fetched["language"]) == (
        "Erhvervsstyrelsen", [10080, 1440], "da"
    )  # fmt: skip


def test_a_new_series_without_defaults_inherits_them(client, admin):
    created = client.post("/api/v1/series", json={"slug": "plain", "title": "Plain"}, headers=admin).get_json()
    assert (created["organiser_name"], created["reminder_offsets"], created["language"]) == (None, None, None)


def test_patch_changes_only_the_fields_sent(client, admin, make_series, assert_schema):
    make_series(slug="cospro", title="COSPRO", description="Kept")
    db.session.commit()

    response = client.patch("/api/v1/series/cospro", json={"reminder_offsets": [120], "language": "da"}, headers=admin)

    assert response.status_code == 200, response.get_json()
    assert_schema(response.get_json(), "Series")
    series = _series("cospro")
    assert (series.reminder_offsets, series.language, series.title, series.description) == (
        [120], "da", "COSPRO", "Kept"
    )  # fmt: skip
    back = client.patch("/api/v1/series/cospro", json={"reminder_offsets": None, "language": None}, headers=admin)
    assert back.status_code == 200 and (_series("cospro").reminder_offsets, _series("cospro").language) == (None, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reminder_offsets": [0]}, "reminder_offsets"),
        ({"reminder_offsets": [61 * 24 * 60]}, "reminder_offsets"),
        ({"reminder_offsets": [60, 60]}, "reminder_offsets"),
        ({"reminder_offsets": list(range(1, 12))}, "reminder_offsets"),
        ({"language": "pt"}, "language"),
        ({"language": "Danish"}, "language"),
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"organiser_name": "y" * 201}, "organiser_name"),
        ({"slug": "renamed"}, "slug"),
    ],
)
def test_bad_patches_are_refused_field_by_field_and_change_nothing(client, admin, make_series, body, field):
    make_series(slug="cospro", title="COSPRO")
    db.session.commit()

    response = client.patch("/api/v1/series/cospro", json={"organiser_name": "Someone", **body}, headers=admin)

    assert response.status_code == 422, response.get_json()
    assert field in str(response.get_json()["error"])
    series = _series("cospro")
    assert (series.title, series.organiser_name, series.reminder_offsets, series.language) == (
        "COSPRO", None, None, None
    )  # fmt: skip


def test_members_may_not_patch_and_unknown_series_are_404(client, auth, make_series):
    make_series(slug="closed", visibility="members")
    db.session.commit()
    member = auth("member")  # the role is checked before the series is looked up, as on every route
    assert client.patch("/api/v1/series/closed", json={"language": "da"}, headers=member).status_code == 403
    assert _series("closed").language is None
    assert client.patch("/api/v1/series/nope", json={"language": "da"}, headers=auth("admin")).status_code == 404


def test_events_take_a_language_and_inherit_when_null(client, admin, make_series):
    make_series(slug="cospro")
    db.session.commit()
    created = client.post("/api/v1/events", json={**EVENT, "series": "cospro", "language": "da"}, headers=admin)
    assert created.status_code == 201, created.get_json()
    event = created.get_json()
    assert event["language"] == "da"

    changed = client.patch(f"/api/v1/events/{event['id']}", json={"language": None}, headers=admin).get_json()
    assert changed["language"] is None
    refused = client.patch(f"/api/v1/events/{event['id']}", json={"language": "pt"}, headers=admin)
    assert refused.status_code == 422 and "language" in refused.get_json()["error"]["fields"]
