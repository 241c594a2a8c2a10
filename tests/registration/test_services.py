"""Registering and cancelling: the small core the invitation flow will build on."""

from datetime import timedelta

from eventhub.mail.models import OutboxStatus
from eventhub.registration.models import RegistrationStatus
from eventhub.registration.services import cancel_registration, register
from eventhub.reminders.planner import run_planner


def test_register_confirms(make_event, make_person, now):
    registration = register(make_event(), make_person(), now)
    assert registration.id is not None
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.cancelled_at is None


def test_registering_twice_keeps_one_registration(make_event, make_person, now):
    event, person = make_event(), make_person()
    assert register(event, person, now) is register(event, person, now)


def test_cancel_records_when(make_event, make_person, now):
    registration = cancel_registration(register(make_event(), make_person(), now), now)
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_at == now


def test_cancelling_twice_keeps_the_first_time(make_event, make_person, now):
    registration = cancel_registration(register(make_event(), make_person(), now), now)
    cancel_registration(registration, now + timedelta(hours=1))
    assert registration.cancelled_at == now


def test_registering_again_after_cancelling_reconfirms_the_same_row(make_event, make_person, now):
    event, person = make_event(), make_person()
    first = register(event, person, now)
    cancel_registration(first, now)
    again = register(event, person, now + timedelta(hours=1))
    assert again.id == first.id
    assert (again.status, again.cancelled_at) == (RegistrationStatus.CONFIRMED, None)


def test_cancelling_drops_only_that_persons_unsent_reminders(make_event, make_person, now, app):
    from eventhub.extensions import db
    from eventhub.mail.models import OutboxMessage

    event = make_event(starts_at=now + timedelta(minutes=10), reminder_offsets=[5])
    leaving, staying = register(event, make_person(), now), register(event, make_person(), now)
    run_planner(now + timedelta(minutes=5))
    cancel_registration(leaving, now + timedelta(minutes=6))
    reminders = db.select(OutboxMessage).where(OutboxMessage.kind == "reminder")
    rows = {row.person_id: row.status for row in db.session.scalars(reminders)}
    assert rows == {leaving.person_id: OutboxStatus.CANCELLED, staying.person_id: OutboxStatus.QUEUED}


def test_confirmed_people_are_those_holding_a_seat(make_event, make_person, now):
    from eventhub.registration.services import confirmed_people

    event = make_event(capacity=1)
    seated, waiting, gone = make_person(), make_person(), make_person()
    cancel_registration(register(event, gone, now), now)
    register(event, seated, now)
    register(event, waiting, now)
    assert confirmed_people(event) == [seated]
