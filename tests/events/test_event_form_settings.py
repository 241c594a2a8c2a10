"""The event form's language and reminder offsets (inherited from the series, shown; overridden; none), the zone
picker's usual zone, the "next meeting" action, and the language rule event → series → default on real rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventhub.events.models import Event
from eventhub.events.next_meeting import next_meeting_draft, renumbered, usual_interval
from eventhub.events.queries import usual_timezone
from eventhub.extensions import db
from eventhub.i18n import reader_language
from tests.conftest import csrf_token_from, grant_organiser
from tests.web.conftest import text_of, visible_text

FORM = {
    "title": "Big Buyers working group meeting",
    "kind": "working_group_meeting",
    "series": "",
    "starts_at": "2027-01-15T14:00",
    "ends_at": "2027-01-15T16:30",
    "timezone": "Europe/Warsaw",
    "visibility": "",
}
WARSAW_1400 = datetime(2027, 1, 15, 13, 0, tzinfo=UTC)


@pytest.fixture
def organiser(make_user, login, commit):
    """A signed-in organiser; each test makes them organiser of the series or event it manages (``grant_organiser``)."""
    user = make_user("organiser")
    commit()
    login(user)
    return user


def _post(client, path, data):
    token = csrf_token_from(text_of(client.get(path)))
    return client.post(path, data={**data, "csrf_token": token})


def _events() -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Event).order_by(Event.id)))


def _rows(*rows: tuple[str, str]) -> dict[str, str]:
    data = {}
    for index, (amount, unit) in enumerate(rows):
        data[f"reminder_offsets-{index}-amount"], data[f"reminder_offsets-{index}-unit"] = amount, unit
    return data


def _errors_of(html: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="{name}-errors">(.*?)</ul>', html, re.S)
    assert match, f"no errors shown next to {name}"
    return visible_text(match.group(1))


def test_the_form_shows_what_the_series_gives_and_an_event_inherits_it(client, organiser, make_series, commit):
    series = make_series(slug="bsi")
    grant_organiser(organiser, series)
    series.reminder_offsets, series.language = [20160, 1440], "da"
    commit()
    html = visible_text(text_of(client.get("/manage/events/new?series=bsi")))
    assert "As the series: 14 days and 1 day before the start" in html
    assert "As the series: Dansk" in html

    response = _post(client, "/manage/events/new?series=bsi", {**FORM, "series": "bsi", "reminder_mode": "inherit"})

    assert response.status_code == 302
    (event,) = _events()
    assert (event.reminder_offsets, event.language) == (None, None)
    assert reader_language(_Reader("pt"), event) == "da"  # a reader eventhub cannot write to in Portuguese


@pytest.mark.parametrize(
    ("data", "offsets"),
    [
        ({"reminder_mode": "none"}, []),
        ({"reminder_mode": "custom", **_rows(("2", "days"), ("3", "hours"))}, [2880, 180]),
    ],
)
def test_the_organiser_overrides_the_reminders_and_the_language(client, organiser, data, offsets):
    response = _post(client, "/manage/events/new", {**FORM, "language": "da", **data})
    assert response.status_code == 302
    (event,) = _events()
    assert (event.reminder_offsets, event.language, event.starts_at) == (offsets, "da", WARSAW_1400)


def test_the_edit_form_shows_the_events_own_offsets_and_keeps_them(client, organiser, make_event, commit):
    event = make_event(timezone="Europe/Warsaw", reminder_offsets=[2880], language="da")
    grant_organiser(organiser, event)  # an event without a series: its creator manages it
    commit()
    path = f"/events/{event.id}/manage/edit"
    html = text_of(client.get(path))
    assert re.search(r'name="reminder_offsets-0-amount"[^>]*value="2"', html)
    assert '<option selected value="da">' in html

    response = _post(client, path, {**FORM, "reminder_mode": "custom", "language": "",
                                    **_rows(("2", "days"), ("30", "minutes"))})  # fmt: skip

    assert response.status_code == 302
    (event,) = _events()
    assert (event.reminder_offsets, event.language) == ([2880, 30], None)


BAD = [
    ({"reminder_mode": "custom", **_rows(("61", "days"))}, "reminder_offsets", "at most 60 days"),
    ({"reminder_mode": "custom", **_rows(("2", "hours"), ("120", "minutes"))}, "reminder_offsets", "only once"),
    ({"reminder_mode": "custom", **_rows(("-1", "days"))}, "reminder_offsets-0-amount", "between 1"),
    ({"language": "xx"}, "language", "one of en, bg, cs, da"),
    ({"number": "0"}, "number", "a whole number >= 1"),
]


@pytest.mark.parametrize(("data", "field", "message"), BAD)
def test_bad_settings_are_shown_next_to_the_field_and_nothing_is_saved(client, organiser, data, field, message):
    response = _post(client, "/manage/events/new", {**FORM, **data})
    assert response.status_code == 422
    assert message in _errors_of(text_of(response), field)
    assert _events() == []


def test_the_usual_zone_is_the_most_common_of_the_series(make_series, make_event, now):
    series = make_series(slug="bsi")
    for days, zone in ((10, "Europe/Warsaw"), (20, "Europe/Warsaw"), (30, "Europe/Lisbon")):
        make_event(series="bsi", timezone=zone, starts_at=now + timedelta(days=days))
    assert usual_timezone(series) == "Europe/Warsaw"  # not the latest (Lisbon)
    make_event(series="bsi", timezone="Europe/Lisbon", starts_at=now + timedelta(days=5))
    assert usual_timezone(series) == "Europe/Lisbon"  # a tie: the zone of the latest event


def test_the_zone_picker_groups_the_usual_zone_above_all_zones(client, organiser, make_series, make_event, commit):
    grant_organiser(organiser, make_series(slug="bsi"))
    make_event(series="bsi", timezone="Europe/Warsaw")
    commit()
    html = text_of(client.get("/manage/events/new?series=bsi"))
    picker = html.split('name="timezone"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'<optgroup label="The series&#39; usual zone">\s*<option selected value="Europe/Warsaw">', picker)
    assert picker.count('value="Europe/Warsaw"') == 1 and '<optgroup label="All zones">' in picker


# --------------------------------------------------------------------------------------------------------------
# Next meeting
# --------------------------------------------------------------------------------------------------------------


def _meeting(make_event, start: datetime, number: int, **overrides):
    return make_event(series="taskforce", number=number, title=f"Taskforce, meeting {number}", timezone="Europe/Warsaw",
                      starts_at=start, ends_at=start + timedelta(hours=2), **overrides)  # fmt: skip


def test_the_next_meeting_keeps_the_settings_and_moves_by_the_usual_interval(client, organiser, make_series,
                                                                             make_event, commit):  # fmt: skip
    grant_organiser(organiser, make_series(slug="taskforce"))
    _meeting(make_event, datetime(2027, 1, 12, 13, 0, tzinfo=UTC), 1)
    last = _meeting(make_event, datetime(2027, 3, 9, 13, 0, tzinfo=UTC), 2, location="Warsaw, Marriott",
                    online_url="https://meet.example.org/tf", capacity=30, visibility="members",
                    invitation_only=True, language="da", reminder_offsets=[2880], retention_days=30,
                    registration_closes_at=datetime(2027, 3, 8, 13, 0, tzinfo=UTC))  # fmt: skip
    commit()
    edit = text_of(client.get(f"/events/{last.id}/manage/edit"))
    path = f"/manage/events/new?series=taskforce&amp;after={last.id}"
    assert f'href="{path}"' in edit

    form = text_of(client.get(path.replace("&amp;", "&")))
    assert 'value="Taskforce, meeting 3"' in form and 'name="number" type="number" value="3"' in form
    # 9 March + 8 weeks (the gap between the last two) = 4 May; 14:00 Warsaw time although summer time began
    assert 'value="2027-05-04 14:00"' in form and 'value="2027-05-04 16:00"' in form
    assert 'value="2027-05-03 14:00"' in form  # registration closes a day before, as before

    token = csrf_token_from(form)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields |= {
        name: value
        for name, value in re.findall(r'<select[^>]*name="([^"]+)".*?<option selected value="([^"]*)"', form, re.S)
    }
    fields |= {"invitation_only": "y", "reminder_mode": "custom", "retention_mode": "custom", "csrf_token": token}
    response = client.post(path.replace("&amp;", "&"), data=fields)

    assert response.status_code == 302, visible_text(text_of(response))
    new = _events()[-1]
    assert (new.number, new.series.slug, new.kind.value, new.timezone) == (3, "taskforce", "meeting", "Europe/Warsaw")
    assert new.starts_at == datetime(2027, 5, 4, 12, 0, tzinfo=UTC)  # 14:00 CEST
    assert (new.location, new.online_url, new.capacity, new.visibility.value) == (
        "Warsaw, Marriott", "https://meet.example.org/tf", 30, "members"
    )  # fmt: skip
    assert (new.invitation_only, new.language, new.reminder_offsets, new.retention_days) == (True, "da", [2880], 30)


def test_without_two_meetings_the_next_is_four_weeks_later(make_series, make_event):
    make_series(slug="taskforce")
    only = _meeting(make_event, datetime(2027, 1, 12, 13, 0, tzinfo=UTC), 7)
    assert usual_interval(only.series) == timedelta(weeks=4)
    draft = next_meeting_draft(only)
    assert (draft["number"], draft["starts_at"]) == (8, datetime(2027, 2, 9, 14, 0))


def test_the_next_meeting_follows_the_latest_even_from_an_older_one(make_series, make_event):
    make_series(slug="taskforce")
    first = _meeting(make_event, datetime(2027, 1, 5, 13, 0, tzinfo=UTC), 1)
    _meeting(make_event, datetime(2027, 1, 19, 13, 0, tzinfo=UTC), 2)
    draft = next_meeting_draft(first)
    assert (draft["number"], draft["starts_at"]) == (3, datetime(2027, 2, 2, 14, 0))


@pytest.mark.parametrize(
    ("title", "old", "new", "expected"),
    [("Meeting 12", 12, 13, "Meeting 13"), ("12th meeting", 12, 13, "13th meeting"),
     ("2nd meeting", 2, 3, "3rd meeting"), ("Taskforce 2027", 1, 2, "Taskforce 2027"), ("Meeting", 1, 2, "Meeting")],
)  # fmt: skip
def test_a_number_in_the_title_is_renumbered(title, old, new, expected):
    assert renumbered(title, old, new) == expected


@pytest.mark.parametrize("role", ["member", "organiser"])
def test_only_the_series_organisers_may_use_next_meeting(client, make_user, login, make_series, make_event, commit,
                                                         role):  # fmt: skip
    """Members may not create events; an organiser of nothing here may not copy another series' meeting."""
    make_series(slug="closed", visibility="members")
    hidden = make_event(series="closed")
    user = make_user(role)
    commit()
    login(user)
    assert client.get(f"/manage/events/new?after={hidden.id}").status_code == 403


# --------------------------------------------------------------------------------------------------------------
# The reader's language: theirs, else the event's, else its series', else the default
# --------------------------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, language):
        self.language = language


def test_the_language_goes_event_then_series_then_default(make_series, make_event, app):
    series = make_series(slug="taskforce")
    event = make_event(series="taskforce")
    foreign = _Reader("pt")
    assert reader_language(foreign, event) == "en"
    series.language = "da"
    assert reader_language(foreign, event) == "da" and reader_language(foreign, series) == "da"
    event.language = "en"
    assert reader_language(foreign, event) == "en"
    assert reader_language(_Reader("da"), event) == "da"  # the reader's own language wins
