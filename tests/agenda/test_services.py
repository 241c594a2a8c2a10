"""Agenda rules: whole-list replacement with per-item errors, times inside the event, overlaps, days, text,
and one settled email per burst of changes to a published agenda."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.agenda.emails import run_agenda_notifications
from eventhub.agenda.services import agenda_as_text, agenda_days, find_agenda, publish_agenda, replace_agenda
from eventhub.errors import ValidationFailed
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.registration.models import Registration, RegistrationStatus


def item(start: str, end: str, title: str = "Punkt", **extra):
    return {"starts_at": f"2022-11-15T{start}:00", "ends_at": f"2022-11-15T{end}:00", "title": title, **extra}


@pytest.fixture
def meeting(make_event):
    return make_event(starts_at="2022-11-15T14:00:00", ends_at="2022-11-15T15:30:00", timezone="Europe/Copenhagen")


def test_items_are_local_wall_clock_times_in_the_events_zone(meeting, now):
    agenda = replace_agenda(meeting, [item("14:00", "14:05", "Velkommen", owner="Per Bach", kind="welcome")], now)

    assert agenda.items[0].starts_at.isoformat() == "2022-11-15T13:00:00+00:00"
    assert agenda.items[0].owner_label == "Per Bach"


def test_a_duration_can_stand_in_for_the_end(meeting, now):
    agenda = replace_agenda(
        meeting, [{"starts_at": "2022-11-15T14:00:00", "duration_minutes": 5, "title": "Velkommen"}], now
    )

    assert agenda.items[0].ends_at - agenda.items[0].starts_at == timedelta(minutes=5)


def test_every_bad_field_is_reported_by_item_and_nothing_changes(meeting, now):
    replace_agenda(meeting, [item("14:00", "14:05", "Velkommen")], now)
    db.session.commit()
    bad = [
        item("14:00", "14:05"),
        item("14:10", "14:05"),
        {"starts_at": "nonsense", "title": ""},
        item("15:00", "16:00", kind="party"),
    ]

    with pytest.raises(ValidationFailed) as failure:
        replace_agenda(meeting, bad, now)

    assert set(failure.value.fields) >= {"items[2].starts_at", "items[2].title", "items[3].kind"}
    db.session.rollback()
    assert [i.title for i in find_agenda(meeting).items] == ["Velkommen"]


def test_titles_are_single_line_and_descriptions_keep_their_line_breaks(meeting, now):
    """The shared text rules of eventhub.validation: a title ends up in calendar lines and email subjects."""
    with pytest.raises(ValidationFailed) as failure:
        replace_agenda(meeting, [item("14:00", "14:05", "Velkommen\nog kaffe")], now)
    assert "must not contain" in failure.value.fields["items[0].title"]

    agenda = replace_agenda(meeting, [item("14:00", "14:05", "Velkommen", description=" Kaffe\nog kage ")], now)
    assert agenda.items[0].description == "Kaffe\nog kage"


def test_items_must_lie_inside_the_event_and_end_after_they_start(meeting, now):
    with pytest.raises(ValidationFailed) as failure:
        replace_agenda(meeting, [item("13:50", "14:05"), item("14:10", "14:05"), item("15:20", "15:40")], now)

    assert failure.value.fields == {
        "items[0].starts_at": "before the event starts",
        "items[1].ends_at": "must be after starts_at",
        "items[2].ends_at": "after the event ends",
    }


def test_overlaps_are_refused_unless_the_event_allows_parallel_tracks(meeting, now):
    overlapping = [item("14:00", "14:30", "Spor A"), item("14:15", "14:45", "Spor B")]
    with pytest.raises(ValidationFailed) as failure:
        replace_agenda(meeting, overlapping, now)
    assert str(failure.value.fields["items[1].starts_at"]) == "overlaps item 1 (Spor A)"  # as the page counts

    agenda = replace_agenda(meeting, overlapping, now, allows_parallel=True)

    assert len(agenda.items) == 2


def test_owner_by_email_is_a_person_shown_as_name_and_organisation(meeting, now, make_person):
    make_person(email="per@example.org", name="Per Bach", organisation="Sociale Entreprenører i Danmark")

    agenda = replace_agenda(meeting, [item("14:00", "14:05", owner="PER@example.org")], now)

    assert agenda.items[0].owner_label == "Per Bach, Sociale Entreprenører i Danmark"


def test_a_conference_over_two_days_groups_items_by_local_day(make_event, now):
    conference = make_event(
        kind="conference", starts_at="2027-03-01T09:00:00", ends_at="2027-03-02T17:00:00", timezone="Europe/Prague"
    )
    items = [
        {"starts_at": "2027-03-02T09:00:00", "ends_at": "2027-03-02T10:00:00", "title": "Day two"},
        {"starts_at": "2027-03-01T09:00:00", "ends_at": "2027-03-01T10:00:00", "title": "Opening"},
        {"starts_at": "2027-03-01T23:30:00", "ends_at": "2027-03-02T00:30:00", "title": "Late, still day one locally"},
    ]
    agenda = replace_agenda(conference, items, now)
    publish_agenda(conference, now)

    days = agenda_days(agenda, conference.timezone)

    assert [(day.isoformat(), [i.title for i in day_items]) for day, day_items in days] == [
        ("2027-03-01", ["Opening", "Late, still day one locally"]),
        ("2027-03-02", ["Day two"]),
    ]
    assert agenda_as_text(conference).splitlines()[0] == "2027-03-01"


def test_agenda_as_text_for_calendar_descriptions(meeting, now):
    replace_agenda(
        meeting, [item("14:00", "14:05", "Velkommen", owner="Per Bach"), item("15:25", "15:30", "Afrunding")], now
    )
    assert agenda_as_text(meeting) == ""  # not published yet

    publish_agenda(meeting, now)

    assert agenda_as_text(meeting) == "14.00–14.05 Velkommen (Per Bach)\n15.25–15.30 Afrunding"


def test_an_invitees_calendar_entry_carries_the_published_agenda(meeting, now):
    """Registration asks with its ``calendar_entry_text`` signal; the agenda answers (connected in create_app)."""
    from eventhub.registration.emails import calendar_entry_text_of

    replace_agenda(meeting, [item("14:00", "14:05", "Velkommen", owner="Per Bach")], now)
    assert calendar_entry_text_of(meeting) == ""
    publish_agenda(meeting, now)
    assert calendar_entry_text_of(meeting) == "14.00–14.05 Velkommen (Per Bach)"


@pytest.fixture
def registered(make_event, make_person, now):
    """An upcoming meeting with a published agenda, two confirmed registrants and one who cancelled."""
    start = (now + timedelta(days=10)).replace(hour=13, minute=0)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2), timezone="UTC")
    for email, status in (("a@example.org", RegistrationStatus.CONFIRMED), ("b@example.org", RegistrationStatus.CONFIRMED),
                          ("c@example.org", RegistrationStatus.CANCELLED)):  # fmt: skip
        db.session.add(Registration(event=event, person=make_person(email=email), status=status))
    items = [{"starts_at": start, "ends_at": start + timedelta(minutes=30), "title": "Welcome"}]
    replace_agenda(event, items, now)
    publish_agenda(event, now)
    return event, items


def _agenda_emails():
    return db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == "agenda_changed").order_by(OutboxMessage.id)
    ).all()


def test_a_burst_of_edits_makes_one_email_per_registrant_once_the_agenda_is_quiet(registered, now):
    event, items = registered
    for minute in range(3):  # three saves within a few minutes
        items = [{**items[0], "title": f"Welcome v{minute}"}]
        replace_agenda(event, items, now + timedelta(minutes=minute))

    assert run_agenda_notifications(now + timedelta(minutes=5)) == 0  # still settling
    assert run_agenda_notifications(now + timedelta(minutes=12)) == 2
    assert run_agenda_notifications(now + timedelta(minutes=13)) == 0  # safe to run twice

    emails = _agenda_emails()
    assert sorted(e.recipient_email for e in emails) == ["a@example.org", "b@example.org"]
    assert "Welcome v2" in emails[0].body_text and "Welcome v0" not in emails[0].body_text
    assert emails[0].dedup_key == f"agenda-changed:{event.id}:{find_agenda(event).version}:{emails[0].person_id}"


def test_saving_the_same_agenda_or_publishing_it_sends_nothing(registered, now):
    event, items = registered

    replace_agenda(event, items, now + timedelta(minutes=1))

    assert run_agenda_notifications(now + timedelta(hours=1)) == 0


def test_a_later_change_makes_a_new_email(registered, now):
    event, items = registered
    replace_agenda(event, [{**items[0], "title": "First change"}], now)
    run_agenda_notifications(now + timedelta(minutes=11))
    replace_agenda(event, [{**items[0], "title": "Second change"}], now + timedelta(hours=1))

    assert run_agenda_notifications(now + timedelta(hours=1, minutes=11)) == 2
    assert len(_agenda_emails()) == 4


def owners_read_with(count_queries, make_event, now, items: int, owners: int) -> int:
    """Statements run to load an event's agenda and read every item's owner by name and organisation."""
    event = make_event(starts_at="2022-11-15T09:00:00", ends_at="2022-11-15T18:00:00")
    clock = [f"{9 + minute // 60:02d}:{minute % 60:02d}" for minute in range(0, 5 * (items + 1), 5)]
    people = [
        {"email": f"owner{n}@example.org", "name": f"Owner {n}", "organisation": f"Org {n}"} for n in range(owners)
    ]
    rows = [item(clock[i], clock[i + 1], f"Punkt {i}", owner=people[i % owners]) for i in range(items)]
    replace_agenda(event, rows, now)
    event_id = event.id
    db.session.commit()
    db.session.expunge_all()  # nothing cached: every owner must come from the database
    event = db.session.get(Event, event_id)
    with count_queries() as counter:
        agenda = find_agenda(event)
        labels = {(i.owner_person.name, i.owner_person.organisation.name) for i in agenda.items}
    assert len(agenda.items) == items and len(labels) == owners
    return counter.count


def test_loading_an_agenda_with_its_owners_takes_the_same_statements_for_any_size(count_queries, make_event, now):
    small = owners_read_with(count_queries, make_event, now, items=3, owners=1)
    large = owners_read_with(count_queries, make_event, now, items=35, owners=10)

    assert large == small <= 4
