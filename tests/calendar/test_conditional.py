"""Cheap to poll: strong ETag and Last-Modified, 304 without building anything, and query counts that do not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.http import http_date, parse_date

from eventhub.events.services import cancel_event, remove_series_member, update_event
from eventhub.extensions import db
from tests.calendar.conftest import day


@pytest.fixture
def personal(make_series, make_event, make_person, add_member, register, feed_url):
    """A member of a series of three meetings, registered for one conference; returns (person, series, url)."""
    person = make_person()
    series = make_series(slug="taskforce", visibility="members")
    add_member(series, person)
    for offset in range(3):
        make_event(series="taskforce", starts_at=series_start(offset))
    register(person, make_event(title="Conference"))
    return person, series, feed_url(person)


def series_start(offset: int):
    from tests.conftest import NOW

    return NOW + timedelta(days=7 * (offset + 1))


def feed_paths(client, make_series, make_event, url):
    make_series(slug="bsi")
    event = make_event(series="bsi")
    db.session.commit()
    return ["/series/bsi.ics", f"/events/{event.id}.ics", url]


def test_second_request_with_etag_gets_empty_304(client, make_series, make_event, personal, frozen_clock):
    for path in feed_paths(client, make_series, make_event, personal[2]):
        first = client.get(path)
        etag = first.headers["ETag"]
        assert first.status_code == 200 and etag.startswith('"') and not etag.startswith("W/"), path

        second = client.get(path, headers={"If-None-Match": etag})

        assert second.status_code == 304, path
        assert second.data == b""
        assert second.headers["ETag"] == etag
        assert second.headers["Cache-Control"] == first.headers["Cache-Control"]
        assert second.headers["X-Robots-Tag"] == "noindex"


def test_if_modified_since(client, personal, frozen_clock, now):
    url = personal[2]
    first = client.get(url)
    last_modified = first.headers["Last-Modified"]
    assert parse_date(last_modified) <= now

    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = http_date(parse_date(last_modified) - timedelta(seconds=1))
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200


def test_cache_control(client, make_series, make_event, personal, frozen_clock):
    make_series(slug="closed", visibility="members")
    public_path, event_path, personal_path = feed_paths(client, make_series, make_event, personal[2])
    assert client.get(public_path).headers["Cache-Control"] == "public, max-age=300"
    assert client.get(event_path).headers["Cache-Control"] == "public, max-age=300"
    assert client.get(personal_path).headers["Cache-Control"] == "private, max-age=300"


def changes(person, series, now):
    """Every kind of change that must give a personal feed a new ETag (and a later Last-Modified)."""
    from eventhub.registration.models import Registration

    def move_a_meeting():
        update_event(series.events[0], {"location": "Rådhuset, København"}, now=now)

    def cancel_a_meeting():
        cancel_event(series.events[1], now=now)

    def cancel_the_registration():
        db.session.scalars(
            db.select(Registration).where(Registration.person_id == person.id)
        ).one().status = "cancelled"

    def leave_the_series():
        remove_series_member(series, person)

    return [move_a_meeting, cancel_a_meeting, cancel_the_registration, leave_the_series]


@pytest.mark.parametrize("change", range(4), ids=["moved", "cancelled", "registration-cancelled", "membership-deleted"])
def test_any_change_changes_etag_and_last_modified(client, personal, frozen_clock, now, change):
    person, series, url = personal
    first = client.get(url)
    frozen_clock.set(now + timedelta(seconds=30))

    changes(person, series, now + timedelta(seconds=10))[change]()
    db.session.commit()
    second = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    third = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})

    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert third.status_code == 200
    assert parse_date(second.headers["Last-Modified"]) > parse_date(first.headers["Last-Modified"])


def test_a_new_action_item_or_deadline_changes_the_etag(client, personal, make_minutes, frozen_clock):
    person, series, url = personal
    etag = client.get(url).headers["ETag"]
    make_minutes(series.events[0], actions=[("Write it up", person, day("2026-12-24"))])
    db.session.commit()
    etag_after_action = client.get(url).headers["ETag"]
    make_minutes(series.events[1], deadlines=[("Call closes", day("2027-02-01"), None)])
    db.session.commit()

    assert len({etag, etag_after_action, client.get(url).headers["ETag"]}) == 3


def test_a_cancelled_event_dropping_out_changes_the_etag(client, personal, frozen_clock, now):
    person, series, url = personal
    meeting = series.events[0]
    cancel_event(meeting, now=now)
    db.session.commit()
    etag = client.get(url).headers["ETag"]

    frozen_clock.set(meeting.ends_at + timedelta(seconds=1))

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_an_event_change_changes_the_event_and_series_feeds(client, make_series, make_event, frozen_clock, now):
    make_series(slug="bsi")
    event = make_event(series="bsi")
    db.session.commit()
    before = {path: client.get(path).headers["ETag"] for path in ("/series/bsi.ics", f"/events/{event.id}.ics")}

    update_event(event, {"title": "Renamed"}, now=now)
    db.session.commit()

    for path, etag in before.items():
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 200, path


def test_event_moved_out_of_a_series_changes_its_last_modified(client, make_series, make_event, frozen_clock, now):
    make_series(slug="bsi")
    make_series(slug="other")
    event = make_event(series="bsi")
    db.session.commit()
    first = client.get("/series/bsi.ics")
    frozen_clock.set(now + timedelta(minutes=1))

    update_event(event, {"series": "other"}, now=now)
    db.session.commit()

    assert (
        client.get("/series/bsi.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 200
    )


def test_304_costs_one_query(client, make_series, make_event, personal, frozen_clock, count_queries):
    for path in feed_paths(client, make_series, make_event, personal[2]):
        etag = client.get(path).headers["ETag"]
        with count_queries() as counter:
            assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert counter.count == 1, (path, counter.statements)


@pytest.mark.parametrize("size", [10, 200])
def test_full_personal_feed_query_count_does_not_grow(
    client,
    make_series,
    make_event,
    make_person,
    add_member,
    register,
    make_minutes,
    feed_url,
    frozen_clock,
    count_queries,
    now,
    size,
):
    from eventhub.agenda.services import publish_agenda, replace_agenda

    person = make_person()
    series = make_series(slug="big", visibility="members")
    add_member(series, person)
    events = [make_event(series="big", starts_at=now + timedelta(days=i + 1)) for i in range(size // 2)]
    for i in range(size - size // 2):
        register(person, make_event(title=f"Conference {i}", starts_at=now + timedelta(days=i + 1)))
    for event in events[:5]:
        make_minutes(
            event, actions=[("Do it", person, day("2027-01-01"))], deadlines=[("Call", day("2027-02-01"), None)]
        )
        replace_agenda(
            event, [{"starts_at": event.starts_at.isoformat(), "duration_minutes": 5, "title": "Velkommen"}], now=now
        )
        publish_agenda(event, now=now)
    url = feed_url(person)
    db.session.expunge_all()  # a cold session, as in a real request

    with count_queries() as counter:
        response = client.get(url)

    assert response.status_code == 200
    assert response.data.count(b"BEGIN:VEVENT") == size + 10
    assert response.data.count(b"Velkommen") == 5
    # token + stored state; events with their components; the stale ones' rows, agendas (+ items), materials and
    # the store;
    # action items, deadlines, their stored components and the store; the feed's body
    assert counter.count == EXPECTED_FULL_BUILD_QUERIES, "\n\n".join(s[:150] for s in counter.statements)


EXPECTED_FULL_BUILD_QUERIES = 12
