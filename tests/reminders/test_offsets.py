"""Reminder offsets: what organisers may set, and how an event inherits them from its series."""

import pytest

from eventhub.errors import ValidationFailed
from eventhub.events.reminder_offsets import DEFAULT_OFFSETS
from eventhub.events.services import update_event
from eventhub.reminders.services import effective_offsets, set_reminder_offsets


def test_default_is_seven_days_and_one_day(make_event):
    assert effective_offsets(make_event()) == (10080, 1440) == DEFAULT_OFFSETS


def test_event_inherits_its_series_offsets(make_series, make_event):
    series = make_series()
    event = make_event(series=series.slug)
    set_reminder_offsets(series, [2880, 60])
    assert effective_offsets(event) == (2880, 60)


def test_event_offsets_win_over_the_series(make_series, make_event):
    series = make_series()
    event = make_event(series=series.slug)
    set_reminder_offsets(series, [2880])
    set_reminder_offsets(event, [3, 1])
    assert effective_offsets(event) == (3, 1)


def test_none_resets_to_inherit(make_series, make_event):
    series = make_series()
    event = make_event(series=series.slug)
    set_reminder_offsets(series, [120])
    set_reminder_offsets(event, [3])
    set_reminder_offsets(event, None)
    assert effective_offsets(event) == (120,)
    set_reminder_offsets(series, None)
    assert effective_offsets(event) == DEFAULT_OFFSETS


def test_an_empty_list_means_no_reminders(make_event):
    event = make_event()
    set_reminder_offsets(event, [])
    assert effective_offsets(event) == ()


def test_offsets_are_kept_largest_first(make_event):
    event = make_event()
    set_reminder_offsets(event, [1, 3, 2])
    assert event.reminder_offsets == [3, 2, 1]


@pytest.mark.parametrize(
    "offsets",
    [
        [0],
        [-5],
        [3, 3],
        [86401],
        list(range(1, 12)),
        [1.5],
        ["60"],
        [True],
        "1440",
        1440,
    ],
    ids=["zero", "negative", "duplicate", "over-60-days", "eleven", "float", "string-item", "bool", "string", "int"],
)
def test_bad_offsets_are_refused(make_event, offsets):
    event = make_event()
    with pytest.raises(ValidationFailed) as error:
        set_reminder_offsets(event, offsets)
    assert "reminder_offsets" in error.value.fields
    assert event.reminder_offsets is None


def test_limits_are_inclusive(make_event):
    event = make_event()
    set_reminder_offsets(event, list(range(86400, 86390, -1)))
    assert len(event.reminder_offsets) == 10


def test_create_and_update_event_accept_offsets(make_event):
    event = make_event(reminder_offsets=[60, 10])
    assert event.reminder_offsets == [60, 10]
    update_event(event, {"reminder_offsets": [5]})
    assert effective_offsets(event) == (5,)
    update_event(event, {"reminder_offsets": None})
    assert effective_offsets(event) == DEFAULT_OFFSETS


def test_update_event_refuses_bad_offsets_and_keeps_the_old_ones(make_event):
    event = make_event(reminder_offsets=[60])
    with pytest.raises(ValidationFailed) as error:
        update_event(event, {"reminder_offsets": [0, 0]})
    assert "reminder_offsets" in error.value.fields
    assert event.reminder_offsets == [60]


def test_changing_offsets_does_not_bump_the_calendar_sequence(make_event):
    event = make_event()
    update_event(event, {"reminder_offsets": [30]})
    assert event.sequence == 0
