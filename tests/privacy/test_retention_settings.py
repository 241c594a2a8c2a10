"""Retention settings: the period is inherited event → series → EVENTHUB_RETENTION_DAYS, counted from the event's
end; set on the series and event forms (inherit or a number of days, and "keep organisations" on the series) and
through the API (GET/POST/PATCH of series and events)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.events.models import Event, Series
from eventhub.extensions import db
from eventhub.privacy.retention import events_due, retention_days_of, retention_ends_at
from tests.conftest import csrf_token_from, grant_organiser
from tests.web.conftest import text_of, visible_text

EVENT = {"title": "Meeting", "starts_at": "2027-02-01T10:00:00", "ends_at": "2027-02-01T11:00:00",
         "timezone": "Europe/Warsaw"}  # fmt: skip


@pytest.mark.parametrize(
    ("site", "series_days", "event_days", "expected"),
    [(365, None, None, 365), (400, None, None, 400), (365, 30, None, 30), (365, 30, 10, 10), (365, None, 700, 700)],
)
def test_the_period_is_the_events_else_the_series_else_the_sites(
    app, make_series, make_event, site, series_days, event_days, expected
):
    app.config["RETENTION_DAYS"] = site
    series = make_series()
    series.retention_days = series_days
    event = make_event(series=series.slug, retention_days=event_days)

    assert retention_days_of(event) == expected
    assert retention_ends_at(event) == event.ends_at + timedelta(days=expected)


def test_an_event_without_a_series_uses_the_sites_period(app, make_event):
    app.config["RETENTION_DAYS"] = 90
    event = make_event()
    assert retention_ends_at(event) == event.ends_at + timedelta(days=90)


def test_events_are_due_by_their_own_inherited_period_counted_from_the_end(app, make_series, make_event, now):
    series = make_series()
    series.retention_days = 30
    inherits = make_event(series=series.slug, starts_at=now, ends_at=now + timedelta(days=2))  # a two-day conference
    own = make_event(series=series.slug, starts_at=now, retention_days=60)
    site = make_event(starts_at=now)  # 365 days

    assert events_due(now + timedelta(days=31, hours=23)) == []
    assert events_due(now + timedelta(days=32)) == [inherits]
    assert events_due(now + timedelta(days=61)) == [own, inherits]  # the longest-ended first
    assert events_due(now + timedelta(days=366)) == [own, site, inherits]
    assert events_due(now + timedelta(days=366), limit=2) == [own, site]


# -------------------------------------------------------------------------------------------------------------
# The API
# -------------------------------------------------------------------------------------------------------------


def test_a_series_takes_its_retention_settings_on_post_and_patch(client, admin, assert_schema):
    created = client.post(
        "/api/v1/series", json={"slug": "bsi", "title": "BSI", "retention_days": 90,
                                "retention_keeps_organisations": True}, headers=admin,
    )  # fmt: skip
    assert created.status_code == 201, created.get_json()
    assert_schema(created.get_json(), "Series")
    assert (created.get_json()["retention_days"], created.get_json()["retention_keeps_organisations"]) == (90, True)

    changed = client.patch("/api/v1/series/bsi", json={"retention_days": None}, headers=admin)

    assert changed.status_code == 200, changed.get_json()
    fetched = client.get("/api/v1/series/bsi", headers=admin).get_json()
    assert (fetched["retention_days"], fetched["retention_keeps_organisations"]) == (None, True)


def test_a_new_series_inherits_and_does_not_keep_organisations(client, admin):
    created = client.post("/api/v1/series", json={"slug": "plain", "title": "Plain"}, headers=admin).get_json()
    assert (created["retention_days"], created["retention_keeps_organisations"]) == (None, False)


@pytest.mark.parametrize(
    "body",
    [{"retention_days": 0}, {"retention_days": 3651}, {"retention_days": "30"}, {"retention_days": True},
     {"retention_keeps_organisations": None}, {"retention_keeps_organisations": "yes"}],
)  # fmt: skip
def test_bad_retention_settings_are_refused(client, admin, make_series, body):
    make_series(slug="cospro")
    db.session.commit()

    response = client.patch("/api/v1/series/cospro", json=body, headers=admin)

    assert response.status_code == 422, response.get_json()
    assert next(iter(body)) in str(response.get_json()["error"])


def test_an_event_takes_its_own_period_and_inherits_with_null(client, admin, make_series, assert_schema):
    make_series(slug="cospro")
    db.session.commit()
    created = client.post("/api/v1/events", json={**EVENT, "series": "cospro", "retention_days": 30}, headers=admin)
    assert created.status_code == 201, created.get_json()
    assert_schema(created.get_json(), "Event")
    event = created.get_json()
    assert (event["retention_days"], event["anonymised_at"]) == (30, None)

    changed = client.patch(f"/api/v1/events/{event['id']}", json={"retention_days": None}, headers=admin)

    assert changed.status_code == 200 and changed.get_json()["retention_days"] is None
    refused = client.patch(f"/api/v1/events/{event['id']}", json={"retention_days": 0}, headers=admin)
    assert refused.status_code == 422 and "retention_days" in str(refused.get_json()["error"])


def test_the_services_refuse_what_the_api_schema_would(make_series):
    from eventhub.errors import ValidationFailed
    from eventhub.events.services import update_series

    series = make_series()
    for value in (0, 3651, "30", True, 1.5):
        with pytest.raises(ValidationFailed) as refused:
            update_series(series, {"retention_days": value})
        assert "retention_days" in refused.value.fields
    assert update_series(series, {"retention_days": 3650}).retention_days == 3650


# -------------------------------------------------------------------------------------------------------------
# The forms
# -------------------------------------------------------------------------------------------------------------


@pytest.fixture
def organiser(make_user, login, commit):
    user = make_user("organiser")
    commit()
    login(user)
    return user


def _post(client, path, data):
    token = csrf_token_from(text_of(client.get(path)))
    return client.post(path, data={**data, "csrf_token": token})


def _reload(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


SERIES_FORM = {"title": "BSI conferences", "description": "", "visibility": "public", "reminder_mode": "inherit"}


def test_the_series_form_shows_the_sites_period_and_saves_its_own(client, organiser, make_series, commit, app):
    app.config["RETENTION_DAYS"] = 400
    series = make_series(slug="bsi")
    grant_organiser(organiser, series)
    commit()
    page = visible_text(text_of(client.get("/series/bsi/manage")))
    assert "The site's default: 400 days after the event ends" in page
    assert "Keep their organisations when anonymising" in page

    form = {**SERIES_FORM, "retention_mode": "custom", "retention_days": "90", "retention_keeps_organisations": "y"}
    assert _post(client, "/series/bsi/manage", form).status_code == 302

    saved = _reload(Series, series.id)
    assert (saved.retention_days, saved.retention_keeps_organisations) == (90, True)
    html = text_of(client.get("/series/bsi/manage"))
    (custom,) = re.findall(r'<input[^>]*name="retention_mode"[^>]*value="custom"[^>]*>', html)
    assert "checked" in custom and 'value="90"' in html

    back = {**SERIES_FORM, "retention_mode": "inherit", "retention_days": "90"}
    assert _post(client, "/series/bsi/manage", back).status_code == 302
    saved = _reload(Series, series.id)
    assert (saved.retention_days, saved.retention_keeps_organisations) == (None, False)


@pytest.mark.parametrize(("days", "message"), [("", "Enter a number of days"), ("0", "between 1 and 3650")])
def test_the_series_form_refuses_a_missing_or_bad_number_of_days(client, organiser, make_series, commit, days, message):
    series = make_series(slug="bsi")
    grant_organiser(organiser, series)
    commit()

    response = _post(client, "/series/bsi/manage", {**SERIES_FORM, "retention_mode": "custom", "retention_days": days})

    assert response.status_code == 422
    assert message in visible_text(text_of(response))
    assert _reload(Series, series.id).retention_days is None


def test_the_event_form_inherits_the_series_period_or_takes_its_own(client, organiser, make_series, commit):
    series = make_series(slug="bsi")
    series.retention_days = 30
    grant_organiser(organiser, series)
    commit()
    assert "As the series: 30 days after the event ends" in visible_text(
        text_of(client.get("/manage/events/new?series=bsi"))
    )
    form = {**EVENT, "starts_at": "2027-02-01 10:00", "ends_at": "2027-02-01 11:00", "kind": "meeting", "series": "bsi",
            "visibility": "", "reminder_mode": "inherit"}  # fmt: skip

    response = _post(
        client, "/manage/events/new?series=bsi", {**form, "retention_mode": "custom", "retention_days": "7"}
    )

    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event).order_by(Event.id.desc()))
    assert event.retention_days == 7
    edit = f"/events/{event.id}/manage/edit"
    assert 'value="7"' in text_of(client.get(edit))
    assert _post(client, edit, {**form, "retention_mode": "inherit"}).status_code == 302
    assert _reload(Event, event.id).retention_days is None


def test_an_event_without_a_series_offers_the_sites_period(client, organiser, app):
    app.config["RETENTION_DAYS"] = 180
    page = visible_text(text_of(client.get("/manage/events/new")))
    assert "As the series, else the site's default: 180 days after the event ends" in page
