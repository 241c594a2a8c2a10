"""The reminder planner: each reminder queued once, at its moment, to the right people; moving or cancelling
an event re-plans; its cost does not grow with the number of registrations."""

from datetime import timedelta

import sqlalchemy as sa

from eventhub.events.services import cancel_event, update_event
from eventhub.extensions import db
from eventhub.mail.models import OutboxStatus
from eventhub.registration.models import RegistrationStatus
from eventhub.registration.services import cancel_registration
from eventhub.reminders.planner import reminder_key, run_planner
from eventhub.reminders.services import turn_off_reminders

QUEUED, CANCELLED = OutboxStatus.QUEUED, OutboxStatus.CANCELLED


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def test_a_reminder_is_queued_once_at_its_moment(make_event, make_registration, reminders, now):
    start = now + minutes(10)
    event = make_event(starts_at=start, reminder_offsets=[3, 1])
    registration = make_registration(event)

    assert run_planner(start - minutes(3) - timedelta(seconds=1)) == 0
    assert reminders() == []

    assert run_planner(start - minutes(3)) == 1
    assert run_planner(start - minutes(3)) == 0
    assert run_planner(start - minutes(2)) == 0
    (row,) = reminders()
    assert row.dedup_key == f"reminder:{registration.id}:3:{int(start.timestamp())}"
    assert (row.status, row.person_id, row.event_id) == (QUEUED, registration.person_id, event.id)
    assert row.not_before == start - minutes(3)

    assert run_planner(start - minutes(1)) == 1
    assert [r.dedup_key.split(":")[2] for r in reminders(QUEUED)] == ["3", "1"]


def test_the_default_offsets_remind_a_week_and_a_day_before(make_event, make_registration, reminders, now):
    start = now + timedelta(days=10)
    make_registration(make_event(starts_at=start))
    assert run_planner(start - timedelta(days=7, seconds=1)) == 0
    assert run_planner(start - timedelta(days=7)) == 1
    assert run_planner(start - timedelta(days=1)) == 1
    assert len(reminders(QUEUED)) == 2


def test_no_reminder_for_a_cancelled_registration(make_event, make_registration, reminders, now):
    event = make_event(starts_at=now + minutes(10), reminder_offsets=[5])
    cancel_registration(make_registration(event), now)
    assert run_planner(now + minutes(5)) == 0
    assert reminders() == []


def test_no_reminder_for_a_waitlisted_registration(make_event, make_registration, reminders, now):
    event = make_event(starts_at=now + minutes(10), reminder_offsets=[5])
    registration = make_registration(event)
    registration.status = RegistrationStatus.WAITLISTED
    registration.waitlist_position = 1  # the waiting list keeps a position for each waitlisted registration
    db.session.flush()
    assert run_planner(now + minutes(5)) == 0
    assert reminders() == []


def test_no_reminder_for_a_cancelled_event(make_event, make_registration, reminders, now):
    event = make_event(starts_at=now + minutes(10), reminder_offsets=[5])
    make_registration(event)
    cancel_event(event, now)
    assert run_planner(now + minutes(5)) == 0
    assert reminders() == []


def test_no_reminder_for_someone_who_unsubscribed(make_event, make_registration, reminders, now):
    event = make_event(starts_at=now + minutes(10), reminder_offsets=[5])
    other = make_registration(event)
    turn_off_reminders(make_registration(event).person, now)
    assert run_planner(now + minutes(5)) == 1
    assert [row.person_id for row in reminders()] == [other.person_id]


def test_only_the_people_of_the_event_are_reminded(make_event, make_registration, reminders, now):
    soon = make_event(starts_at=now + minutes(10), reminder_offsets=[5])
    later = make_event(starts_at=now + timedelta(days=3), reminder_offsets=[5])
    registration = make_registration(soon)
    make_registration(later)
    assert run_planner(now + minutes(5)) == 1
    assert [row.dedup_key for row in reminders()] == [reminder_key(registration.id, 5, soon.starts_at)]


def test_a_reminder_missed_while_the_worker_was_down_is_sent_before_the_start(
    make_event, make_registration, reminders, now
):
    start = now + timedelta(hours=2)
    make_registration(make_event(starts_at=start, reminder_offsets=[1440]))
    assert run_planner(start - minutes(1)) == 1  # the moment passed almost a day ago
    assert len(reminders(QUEUED)) == 1


def test_no_reminder_once_the_event_has_started(make_event, make_registration, reminders, now):
    start = now + timedelta(hours=2)
    make_registration(make_event(starts_at=start, reminder_offsets=[1440]))
    assert run_planner(start) == 0
    assert run_planner(start + minutes(30)) == 0
    assert reminders() == []


def test_when_several_are_overdue_only_the_latest_is_sent_and_the_others_never(
    make_event, make_registration, reminders, now
):
    start = now + timedelta(days=10)
    registration = make_registration(make_event(starts_at=start))
    down_until = start - timedelta(hours=12)  # the worker was down through both the 7-day and the 1-day moment

    assert run_planner(down_until) == 1
    (queued,) = reminders(QUEUED)
    assert queued.dedup_key == reminder_key(registration.id, 1440, start)
    (skipped,) = reminders(CANCELLED)
    assert skipped.dedup_key == reminder_key(registration.id, 10080, start)
    assert skipped.last_error.startswith("skipped")

    for later in (down_until + minutes(1), start - minutes(1)):
        assert run_planner(later) == 0
    assert len(reminders(QUEUED)) == 1


def test_a_skipped_reminder_stays_skipped_when_the_offsets_change(make_event, make_registration, reminders, now):
    start = now + timedelta(days=10)
    event = make_event(starts_at=start)
    make_registration(event)
    run_planner(start - timedelta(hours=12))
    update_event(event, {"reminder_offsets": [10080]}, now=start - timedelta(hours=11))
    assert run_planner(start - timedelta(hours=10)) == 0
    assert len(reminders(QUEUED)) == 1


def test_moving_the_event_replans_its_reminders(make_event, make_registration, reminders, now):
    start = now + minutes(10)
    event = make_event(starts_at=start, reminder_offsets=[3, 1])
    registration = make_registration(event)
    assert run_planner(start - minutes(3)) == 1

    new_start = start + timedelta(hours=1)
    update_event(event, {"starts_at": new_start, "ends_at": new_start + minutes(90)}, now=start - minutes(2))
    (old,) = reminders()
    assert old.status == CANCELLED

    assert run_planner(start - minutes(1)) == 0  # the old moments are gone
    assert run_planner(new_start - minutes(3)) == 1
    assert run_planner(new_start - minutes(1)) == 1
    assert [row.dedup_key for row in reminders(QUEUED)] == [
        reminder_key(registration.id, 3, new_start),
        reminder_key(registration.id, 1, new_start),
    ]


def test_other_changes_leave_queued_reminders_alone(make_event, make_registration, reminders, now):
    start = now + minutes(10)
    event = make_event(starts_at=start, reminder_offsets=[3])
    make_registration(event)
    run_planner(start - minutes(3))
    update_event(event, {"title": "Buy Social Taskforce Danmark, 4th meeting"}, now=start - minutes(2))
    assert [row.status for row in reminders()] == [QUEUED]


def test_cancelling_the_event_cancels_its_unsent_reminders(make_event, make_registration, reminders, now):
    start = now + minutes(10)
    event = make_event(starts_at=start, reminder_offsets=[3, 1])
    make_registration(event)
    make_registration(event)
    run_planner(start - minutes(3))
    cancel_event(event, start - minutes(2))
    assert [row.status for row in reminders()] == [CANCELLED, CANCELLED]
    assert run_planner(start - minutes(1)) == 0


def test_sent_reminders_are_not_touched_by_a_cancellation(make_event, make_registration, reminders, now):
    start = now + minutes(10)
    event = make_event(starts_at=start, reminder_offsets=[3])
    make_registration(event)
    run_planner(start - minutes(3))
    (row,) = reminders()
    row.status = OutboxStatus.SENT
    db.session.flush()
    cancel_event(event, start - minutes(2))
    db.session.expire_all()
    assert [row.status for row in reminders()] == [OutboxStatus.SENT]


def test_the_planner_query_count_does_not_grow_with_registrations(app, make_event, now, count_queries):
    counts = []
    for size in (10, 200):
        event = make_event(
            starts_at=now + timedelta(days=2 + len(counts)), reminder_offsets=[2880 + 1440 * len(counts)]
        )
        _register_many(event, size, prefix=f"n{size}")
        with count_queries() as counter:
            run_planner(now)
        assert (
            db.session.scalar(sa.text("select count(*) from outbox_messages where event_id = :id"), {"id": event.id})
            == size
        )
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 5


def _register_many(event, size: int, prefix: str) -> None:
    """Many registrations in two statements (the factories would take a query or two each)."""
    from eventhub.events.models import Person
    from eventhub.registration.models import Registration

    people = [Person(name=f"Person {i}", email=f"{prefix}-{i}@example.org") for i in range(size)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(
        [Registration(event_id=event.id, person_id=p.id, status=RegistrationStatus.CONFIRMED) for p in people]
    )
    db.session.flush()
