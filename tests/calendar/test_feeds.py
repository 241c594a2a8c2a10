"""What each feed contains, read back with vobject: UIDs, SEQUENCE, zones across DST, escaping, cancellation,
privacy, and the personal feed's sources (registrations, memberships, action items, deadlines)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from eventhub.events.services import cancel_event, remove_series_member, update_event
from eventhub.extensions import db
from tests.calendar.conftest import by_uid, day, parse, vevents

CPH = ZoneInfo("Europe/Copenhagen")
UTC = timezone.utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_series_feed_keeps_1400_copenhagen_across_daylight_saving(client, make_series, make_event, frozen_clock):
    series = make_series(slug="bstf", title="Buy Social Taskforce Danmark")
    march = make_event(series="bstf", starts_at=utc(2027, 3, 25, 13), ends_at=utc(2027, 3, 25, 14, 30))
    april = make_event(series="bstf", starts_at=utc(2027, 4, 8, 12), ends_at=utc(2027, 4, 8, 13, 30))
    october = make_event(series="bstf", starts_at=utc(2027, 10, 28, 12), ends_at=utc(2027, 10, 28, 13, 30))
    november = make_event(series="bstf", starts_at=utc(2027, 11, 4, 13), ends_at=utc(2027, 11, 4, 14, 30))
    db.session.commit()

    response = client.get("/series/bstf.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.data)
    events = by_uid(calendar)
    # UTC times come from the feed's own VTIMEZONE: vobject converts with it, not with a tz database.
    for event, utc_hour in ((march, 13), (april, 12), (october, 12), (november, 13)):
        component = events[f"event-{event.id}@eventhub.test"]
        start = component.dtstart.value
        assert component.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/Copenhagen"]
        assert (start.hour, start.minute) == (14, 0)
        assert start.astimezone(UTC).hour == utc_hour
        assert component.dtend.value.astimezone(CPH).strftime("%H:%M") == "15:30"
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/Copenhagen"]
    assert calendar.x_wr_calname.value == "Buy Social Taskforce Danmark"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.get_data(as_text=True)
    assert calendar.x_published_ttl.value == "PT1H"


def test_event_fields_and_escaping(client, make_series, make_event, frozen_clock, app):
    series = make_series(slug="bsi-bg", title="BSI Bulgaria")
    series.organiser_name = "Община Габрово"
    event = make_event(
        series="bsi-bg",
        title="Bordet rundt; siden sidst, næste møde",
        description="Line one, with a comma;\nline two: Община Габрово",
        location="Габрово, Bulgaria; room 3",
        kind="conference",
        timezone="Europe/Sofia",
    )
    db.session.commit()

    component = by_uid(parse(client.get(f"/events/{event.id}.ics").data))[f"event-{event.id}@eventhub.test"]

    assert component.summary.value == "Bordet rundt; siden sidst, næste møde"
    assert component.location.value == "Габрово, Bulgaria; room 3"
    assert component.description.value.startswith("Line one, with a comma;\nline two: Община Габрово")
    assert component.description.value.endswith(f"http://eventhub.test/events/{event.id}")
    assert component.url.value == f"http://eventhub.test/events/{event.id}"
    assert component.categories.value == ["Conference"]
    assert component.status.value == "CONFIRMED"
    assert component.sequence.value == "0"
    assert component.organizer.value == "mailto:eventhub@localhost"
    assert component.organizer.params["CN"] == ["Община Габрово"]
    assert component.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/Sofia"]
    assert component.last_modified.value == event.updated_at.replace(microsecond=0)
    assert component.created.value == event.created_at.replace(microsecond=0)
    assert component.dtstamp.value == event.updated_at.replace(microsecond=0)


def test_lines_are_folded_at_75_octets_without_splitting_characters(client, make_event, frozen_clock):
    event = make_event(title="Община Габрово " * 12, description="næste møde, " * 40)
    db.session.commit()

    body = client.get(f"/events/{event.id}.ics").data

    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold inside a multi-byte character would not decode
    assert not b"\n" in body.replace(b"\r\n", b"")


def test_online_meeting_links_the_meeting_and_the_page(client, make_event, frozen_clock):
    event = make_event(online_url="https://teams.example.org/meet/123", location=None)
    db.session.commit()

    component = vevents(parse(client.get(f"/events/{event.id}.ics").data))[0]

    assert component.url.value == "https://teams.example.org/meet/123"
    assert component.location.value == "https://teams.example.org/meet/123"
    assert f"http://eventhub.test/events/{event.id}" in component.description.value


def test_a_change_of_time_raises_sequence_and_keeps_the_uid(client, make_event, frozen_clock, now):
    event = make_event()
    db.session.commit()
    before = vevents(parse(client.get(f"/events/{event.id}.ics").data))[0]

    update_event(
        event,
        {"starts_at": event.starts_at + timedelta(hours=1), "ends_at": event.ends_at + timedelta(hours=1)},
        now=now,
    )
    db.session.commit()
    after = vevents(parse(client.get(f"/events/{event.id}.ics").data))[0]

    assert after.uid.value == before.uid.value == f"event-{event.id}@eventhub.test"
    assert int(after.sequence.value) == int(before.sequence.value) + 1


def test_cancelled_event_stays_with_higher_sequence_until_it_has_ended(
    client, make_series, make_event, frozen_clock, now
):
    make_series(slug="bstf")
    event = make_event(series="bstf", starts_at=now + timedelta(days=2))
    db.session.commit()
    cancel_event(event, now=now)
    db.session.commit()

    component = by_uid(parse(client.get("/series/bstf.ics").data))[f"event-{event.id}@eventhub.test"]
    assert component.status.value == "CANCELLED"
    assert component.sequence.value == "1"

    frozen_clock.set(event.ends_at + timedelta(minutes=1))
    assert vevents(parse(client.get("/series/bstf.ics").data)) == []
    assert vevents(parse(client.get(f"/events/{event.id}.ics").data)) == []


def test_past_scheduled_events_stay(client, make_series, make_event, frozen_clock, now):
    make_series(slug="bstf")
    past = make_event(series="bstf", starts_at=now - timedelta(days=30))
    db.session.commit()

    assert f"event-{past.id}@eventhub.test" in by_uid(parse(client.get("/series/bstf.ics").data))


def test_public_series_feed_leaves_out_members_only_events(client, make_series, make_event, frozen_clock):
    make_series(slug="bsi")
    public = make_event(series="bsi")
    secret = make_event(series="bsi", visibility="members", title="Members only strategy")
    db.session.commit()

    body = client.get("/series/bsi.ics").data

    assert f"event-{public.id}@".encode() in body
    assert f"event-{secret.id}@".encode() not in body
    assert b"Members only strategy" not in body


def test_personal_feed_sources(
    client, make_series, make_event, make_person, register, add_member, make_minutes, feed_url, frozen_clock, now
):
    person = make_person(name="Mette Frederiksen", timezone_name="Europe/Copenhagen")
    other = make_person()
    group = make_series(slug="taskforce", visibility="members")
    add_member(group, person)
    meeting = make_event(series="taskforce")
    confirmed = make_event(title="Conference A")
    waitlisted = make_event(title="Conference B")
    cancelled_registration = make_event(title="Conference C")
    not_mine = make_event(title="Conference D")
    register(person, confirmed)
    register(person, waitlisted, "waitlisted")
    register(person, cancelled_registration, "cancelled")
    register(other, not_mine)
    minutes = make_minutes(
        meeting,
        actions=[
            ("Send the tender template; Danish, English", person, day("2026-12-10")),
            ("Not mine", other, day("2026-12-11")),
        ],
        deadlines=[("EU call closes", day("2027-01-31"), "https://ec.europa.eu/call")],
    )
    make_minutes(make_event(series="taskforce"), actions=[("Draft only", person, day("2026-12-12"))], published=False)
    db.session.commit()

    response = client.get(feed_url(person))

    calendar = parse(response.data)
    uids = by_uid(calendar)
    events = {f"event-{e.id}@eventhub.test" for e in (meeting, confirmed, waitlisted)}
    assert events <= set(uids)
    assert f"event-{cancelled_registration.id}@eventhub.test" not in uids
    assert f"event-{not_mine.id}@eventhub.test" not in uids
    action, other_action = minutes.action_items
    todo = uids[f"action-item-{action.id}-todo@eventhub.test"]
    assert todo.due.value == day("2026-12-10")
    assert todo.summary.value == "Send the tender template; Danish, English"
    all_day = uids[f"action-item-{action.id}@eventhub.test"]
    assert all_day.dtstart.value == day("2026-12-10") and all_day.dtstart.params["VALUE"] == ["DATE"]
    assert f"action-item-{other_action.id}@eventhub.test" not in uids
    assert b"Draft only" not in response.data
    deadline = uids[f"deadline-{minutes.deadlines[0].id}@eventhub.test"]
    assert deadline.dtstart.value == day("2027-01-31") and deadline.dtstart.params["VALUE"] == ["DATE"]
    assert deadline.url.value == "https://ec.europa.eu/call"
    assert calendar.x_wr_calname.value == "eventhub: Mette Frederiksen"
    assert calendar.x_wr_timezone.value == "Europe/Copenhagen"
    assert response.headers["Cache-Control"] == "private, max-age=300"


def test_personal_feed_drops_what_its_owner_may_no_longer_see(
    client, make_series, make_event, make_person, register, add_member, make_minutes, feed_url, frozen_clock, now
):
    person = make_person()
    group = make_series(slug="taskforce", visibility="members")
    add_member(group, person)
    meeting = make_event(series="taskforce", title="Closed meeting")
    make_minutes(meeting, deadlines=[("Closed deadline", day("2027-01-31"), None)])
    registered = make_event(title="Registered conference")
    registration = register(person, registered)
    url = feed_url(person)
    first = client.get(url)
    assert (
        b"Closed meeting" in first.data and b"Closed deadline" in first.data and b"Registered conference" in first.data
    )

    remove_series_member(group, person)
    registration.status = "cancelled"
    db.session.commit()
    second = client.get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert second.status_code == 200
    assert b"Closed meeting" not in second.data
    assert b"Closed deadline" not in second.data
    assert b"Registered conference" not in second.data


def test_personal_feed_hides_a_registered_members_only_event_of_a_series_left(
    client, make_series, make_event, make_person, register, feed_url, frozen_clock
):
    person = make_person()
    make_series(slug="closed", visibility="members")
    event = make_event(series="closed", title="Closed meeting")
    register(person, event)

    assert b"Closed meeting" not in client.get(feed_url(person)).data


def test_staff_personal_feed_shows_their_registered_members_only_events(
    client, make_series, make_event, make_user, register, feed_url, frozen_clock
):
    organiser = make_user("organiser")
    make_series(slug="closed", visibility="members")
    event = make_event(series="closed", title="Closed meeting")
    register(organiser.person, event)

    assert b"Closed meeting" in client.get(feed_url(organiser.person)).data


def test_every_feed_says_noindex(client, make_series, make_event, make_person, feed_url, frozen_clock):
    make_series(slug="bsi")
    event = make_event(series="bsi")
    paths = [
        "/series/bsi.ics",
        f"/events/{event.id}.ics",
        feed_url(make_person()),
        "/feeds/nope.ics",
        "/series/none.ics",
    ]
    for path in paths:
        assert client.get(path).headers["X-Robots-Tag"] == "noindex", path


@pytest.mark.parametrize(
    ("language", "action", "deadline"),
    [
        ("en", "Action item from Taskforce meeting", "Deadline noted at Taskforce meeting"),
        ("pt", "Opgave fra Taskforce meeting", "Deadline noteret på Taskforce meeting"),  # not spoken: the series'
        ("da", "Opgave fra Taskforce meeting", "Deadline noteret på Taskforce meeting"),
    ],
)
def test_personal_feed_items_are_described_in_the_language_the_person_reads(
    client, make_series, make_event, make_person, add_member, make_minutes, feed_url, language, action, deadline
):
    person = make_person(language=language)
    group = make_series(slug="taskforce", visibility="members")
    group.language = "da"
    add_member(group, person)
    meeting = make_event(series="taskforce", title="Taskforce meeting")
    minutes = make_minutes(
        meeting,
        actions=[("Send the template", person, day("2026-12-10"))],
        deadlines=[("Call closes", day("2027-01-31"), None)],
    )
    db.session.commit()

    uids = by_uid(parse(client.get(feed_url(person)).data))

    assert uids[f"action-item-{minutes.action_items[0].id}@eventhub.test"].description.value == action
    assert uids[f"deadline-{minutes.deadlines[0].id}@eventhub.test"].description.value == deadline
