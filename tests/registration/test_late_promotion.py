"""Waiting-list promotions stop when the event starts (issue 10, defect 9)."""

from datetime import timedelta

from eventhub.registration.models import RegistrationStatus
from eventhub.registration.services import cancel_registration, fill_free_seats, register_invitee
from tests.registration.conftest import emails_of


def _full_event_with_one_waiting(conference, invite, now):
    event = conference(capacity=1)
    seated, waiting = (
        register_invitee(invite(event, f"p{n}@example.org", f"P{n}")[0], f"P{n}", None, {}, now).registration
        for n in range(2)
    )
    return event, seated, waiting


def test_a_cancellation_after_the_start_promotes_nobody(conference, invite, now):
    event, seated, waiting = _full_event_with_one_waiting(conference, invite, now)
    cancel_registration(seated, event.starts_at + timedelta(minutes=30))
    assert (waiting.status, waiting.waitlist_position) == (RegistrationStatus.WAITLISTED, 1)
    assert emails_of("waitlist_promoted") == []


def test_at_the_start_itself_no_seat_is_filled(conference, invite, now):
    event, seated, waiting = _full_event_with_one_waiting(conference, invite, now)
    event.capacity = 2
    assert fill_free_seats(event, event.starts_at) == []
    assert waiting.status == RegistrationStatus.WAITLISTED


def test_a_minute_before_the_start_the_seat_is_still_given(conference, invite, now):
    event, seated, waiting = _full_event_with_one_waiting(conference, invite, now)
    cancel_registration(seated, event.starts_at - timedelta(minutes=1))
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.recipient_email for m in emails_of("waitlist_promoted")] == ["p1@example.org"]
