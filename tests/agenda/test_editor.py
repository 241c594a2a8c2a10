"""The agenda editor form (issue 11): a day of the meeting and 24-hour times in the meeting's zone, rows added
without losing what was typed, and a clear message for a time that is not on the 24-hour clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from eventhub.agenda.services import find_agenda, replace_agenda
from eventhub.extensions import db
from tests.conftest import csrf_token_from

# 14:00–17:00 in Copenhagen (UTC+1 in January), then the next morning.
START = datetime(2027, 1, 19, 13, tzinfo=timezone.utc)


@pytest.fixture
def meeting(make_event, make_organiser, login, commit):
    event = make_event(starts_at=START, ends_at=datetime(2027, 1, 20, 11, tzinfo=timezone.utc))
    login(make_organiser(event))
    commit()
    return event


def _form(client, event) -> dict[str, str]:
    page = client.get(f"/events/{event.id}/agenda/edit").get_data(as_text=True)
    return {"csrf_token": csrf_token_from(page)}


def _row(index: int, day: str, starts: str, ends: str, title: str, **extra: str) -> dict[str, str]:
    row = {"day": day, "starts_at": starts, "ends_at": ends, "title": title, "kind": "other", **extra}
    return {f"items-{index}-{name}": value for name, value in row.items()}


def test_the_editor_shows_24_hour_times_in_the_meetings_zone_and_its_days(client, meeting, now):
    replace_agenda(
        meeting, [{"starts_at": "2027-01-19T14:00:00", "ends_at": "2027-01-19T14:30:00", "title": "Velkommen"}], now
    )
    db.session.commit()
    page = client.get(f"/events/{meeting.id}/agenda/edit?lang=en").get_data(as_text=True)
    assert 'value="14:00"' in page and 'value="14:30"' in page
    assert "PM" not in page
    assert "local time in Copenhagen" in page
    assert '<option selected value="2027-01-19">19 Jan 2027</option>' in page
    assert '<option value="2027-01-20">20 Jan 2027</option>' in page


def test_times_are_saved_as_wall_clock_time_in_the_zone_danish_dots_too(client, meeting):
    data = _form(client, meeting)
    data.update(_row(0, "2027-01-19", "14:00", "14.30", "Velkommen"))
    data.update(_row(1, "2027-01-20", "9.05", "10:00", "Morgenmøde"))
    assert client.post(f"/events/{meeting.id}/agenda/edit", data=data).status_code == 302
    items = find_agenda(meeting).items
    assert [(i.starts_at, i.ends_at) for i in items] == [
        (datetime(2027, 1, 19, 13, tzinfo=timezone.utc), datetime(2027, 1, 19, 13, 30, tzinfo=timezone.utc)),
        (datetime(2027, 1, 20, 8, 5, tzinfo=timezone.utc), datetime(2027, 1, 20, 9, tzinfo=timezone.utc)),
    ]


def test_a_12_hour_time_is_refused_next_to_the_field_and_nothing_is_saved(client, meeting):
    data = _form(client, meeting)
    data.update(_row(0, "2027-01-19", "2:00 PM", "14:30", "Velkommen"))
    response = client.post(f"/events/{meeting.id}/agenda/edit", data=data)
    body = response.get_data(as_text=True)
    assert "Write the time on the 24-hour clock, e.g. 14:00." in body
    assert 'value="2:00 PM"' in body and 'value="Velkommen"' in body  # what was typed stays
    assert find_agenda(meeting) is None


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(client, meeting):
    data = _form(client, meeting)
    for index in range(3):
        data.update(
            _row(index, "2027-01-20", f"1{index}:00", f"1{index}:30", f"Punkt {index}", description=f"Tekst {index}")
        )
    data["add_rows"] = "Add a row"
    response = client.post(f"/events/{meeting.id}/agenda/edit", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for index in range(3):
        assert f'value="Punkt {index}"' in body and f"Tekst {index}</textarea>" in body
    assert 'name="items-3-title"' in body  # a new empty row, on the last row's day
    day_select = '<select id="items-3-day" name="items-3-day"><option value="2027-01-19">19 Jan 2027</option>'
    assert day_select + '<option selected value="2027-01-20">' in body
    assert find_agenda(meeting) is None


def test_a_danish_editor_writes_times_the_danish_way_and_reads_both(client, meeting, now):
    replace_agenda(
        meeting, [{"starts_at": "2027-01-19T14:00:00", "ends_at": "2027-01-19T14:30:00", "title": "Velkommen"}], now
    )
    db.session.commit()
    page = client.get(f"/events/{meeting.id}/agenda/edit?lang=da").get_data(as_text=True)
    assert 'value="14.00"' in page and 'value="14.30"' in page
    assert "lokal tid i København" in page
