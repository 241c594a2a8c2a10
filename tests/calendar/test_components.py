"""Stored components: a feed is assembled from texts rendered once per event and language; a change re-renders
only what it touched; an unchanged feed is served from its stored (and compressed) body."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.calendar import components
from eventhub.calendar.models import CalendarComponent
from eventhub.events.models import Event, EventKind
from eventhub.events.services import update_event
from eventhub.extensions import db
from tests.calendar.conftest import parse, vevents


@pytest.fixture
def renders(monkeypatch):
    """The ids of the events whose component is rendered (``eventhub.ical.event_body`` as the store calls it)."""
    rendered: list[int] = []
    real = components.event_body

    def counting(event, *args, **kwargs):
        rendered.append(event.id)
        return real(event, *args, **kwargs)

    monkeypatch.setattr(components, "event_body", counting)
    return rendered


def add_events(series, count: int, now) -> list[int]:
    """``count`` meetings of ``series`` in one statement (the factories would take minutes for 2,000)."""
    rows = [
        {
            "series_id": series.id,
            "title": f"Meeting {i}",
            "description": "",
            "kind": EventKind.MEETING,
            "starts_at": now + timedelta(days=i + 1),
            "ends_at": now + timedelta(days=i + 1, hours=2),
            "timezone": "Europe/Copenhagen",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]
    db.session.execute(sa.insert(Event), rows)
    db.session.commit()
    return list(db.session.scalars(sa.select(Event.id).where(Event.series_id == series.id).order_by(Event.id)))


def test_a_change_to_one_event_of_2000_re_renders_that_one_component(client, make_series, frozen_clock, now, renders):
    series = make_series(slug="big")
    ids = add_events(series, 2000, now)
    first = client.get("/series/big.ics")
    assert len(renders) == 2000 and first.data.count(b"BEGIN:VEVENT") == 2000
    renders.clear()

    update_event(db.session.get(Event, ids[1000]), {"title": "Moved meeting"}, now=now)
    db.session.commit()
    second = client.get("/series/big.ics", headers={"If-None-Match": first.headers["ETag"]})

    assert renders == [ids[1000]]
    assert second.status_code == 200 and b"SUMMARY:Moved meeting" in second.data
    assert second.data.count(b"BEGIN:VEVENT") == 2000


def test_feeds_of_one_event_share_its_component_per_language(
    client, make_series, make_event, make_person, add_member, feed_url, frozen_clock, renders
):
    series = make_series(slug="bsi")
    event = make_event(series="bsi")
    reader = make_person(language="de")
    add_member(series, reader)
    url = feed_url(reader)

    client.get("/series/bsi.ics")
    client.get(f"/events/{event.id}.ics")
    client.get(url)

    assert renders == [event.id, event.id]  # once in the series' language, once in the member's
    languages = db.session.scalars(sa.select(CalendarComponent.language).where(CalendarComponent.item_id == event.id))
    assert sorted(languages) == ["de", "en"]


def test_mark_stale_re_renders_on_next_use(client, make_series, make_event, frozen_clock, renders):
    make_series(slug="bsi")
    event = make_event(series="bsi")
    etag = client.get("/series/bsi.ics").headers["ETag"]
    renders.clear()

    components.mark_stale(event.id)
    db.session.commit()

    assert client.get("/series/bsi.ics", headers={"If-None-Match": etag}).status_code == 304  # same text
    assert renders == [event.id]


def test_an_unchanged_feed_is_served_stored_and_compressed(client, make_series, make_event, frozen_clock, monkeypatch):
    make_series(slug="bsi")
    make_event(series="bsi")
    plain = client.get("/series/bsi.ics")
    monkeypatch.setattr("eventhub.calendar.feed_state.gzip.compress", fail_if_called)
    monkeypatch.setattr("eventhub.calendar.services.feed_events", fail_if_called)

    squeezed = client.get("/series/bsi.ics", headers={"Accept-Encoding": "gzip, deflate"})

    assert plain.headers.get("Content-Encoding") is None
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in squeezed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    assert squeezed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    assert gzip.decompress(squeezed.data) == plain.data
    revalidated = client.get(
        "/series/bsi.ics", headers={"Accept-Encoding": "gzip", "If-None-Match": squeezed.headers["ETag"]}
    )
    assert revalidated.status_code == 304 and revalidated.headers["ETag"] == squeezed.headers["ETag"]


def fail_if_called(*args, **kwargs):
    raise AssertionError("an unchanged feed was rebuilt or recompressed")


def test_a_bulk_update_of_feed_rows_makes_every_feed_rebuild(client, make_series, make_event, frozen_clock):
    make_series(slug="bsi")
    event = make_event(series="bsi")
    etag = client.get("/series/bsi.ics").headers["ETag"]

    db.session.execute(sa.update(Event).where(Event.id == event.id).values(title="Renamed in bulk"))
    db.session.commit()
    response = client.get("/series/bsi.ics", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert [component.summary.value for component in vevents(parse(response.data))] == ["Renamed in bulk"]


def test_the_itip_part_uses_the_stored_component(client, make_event, make_person, register, frozen_clock, now, renders):
    from eventhub.registration.emails import calendar_part

    event = make_event()
    registration = register(make_person(), event)
    client.get(f"/events/{event.id}.ics")
    renders.clear()

    part = calendar_part(registration, "REQUEST", now)

    assert renders == []
    assert parse(part["content"].encode()).vevent.uid.value == f"event-{event.id}@eventhub.test"


def test_calendar_header_is_strict(client, make_series, make_event, make_person, feed_url, frozen_clock):
    make_series(slug="bsi", title="BSI \\ Taskforce; Danmark, Sverige")
    make_event(series="bsi", timezone="Europe/Stockholm")
    make_event(series="bsi")

    body = client.get("/series/bsi.ics").data.decode()

    assert "X-WR-CALNAME:BSI \\\\ Taskforce\\; Danmark\\, Sverige" in body
    assert "X-WR-TIMEZONE" not in body
    assert "COMMENT" not in body
    assert parse(body.encode()).x_wr_calname.value == "BSI \\ Taskforce; Danmark, Sverige"
