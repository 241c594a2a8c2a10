"""The organiser's event pages: create, edit (move) and cancel through the same services as the API, with the
same emails; refused input shown next to its field with nothing saved; who may use them; CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import vobject

from eventhub.events.models import Event, EventStatus
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.registration.services import register
from tests.conftest import csrf_token_from, grant_organiser
from tests.web.conftest import text_of, visible_text

FORM = {
    "title": "Big Buyers working group meeting",
    "kind": "working_group_meeting",
    "series": "",
    "starts_at": "2027-01-15T14:00",
    "ends_at": "2027-01-15T16:30",
    "timezone": "Europe/Warsaw",
    "location": "Warsaw, Marriott",
    "online_url": "",
    "capacity": "40",
    "visibility": "",
    "registration_closes_at": "",
    "description": "Construction materials.",
}


@pytest.fixture
def organiser(make_user, login, commit):
    user = make_user("organiser")
    commit()
    login(user)
    return user


def _post(client, path, data):
    token = csrf_token_from(text_of(client.get(path)))
    return client.post(path, data={**data, "csrf_token": token})


def _events() -> list[Event]:
    return list(db.session.scalars(sa.select(Event).order_by(Event.id)))


def _emails(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _field_errors(html: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="{name}-errors">(.*?)</ul>', html, re.S)
    assert match, f"no errors shown next to {name}"
    return match.group(1)


def test_an_organiser_creates_an_event_in_warsaw_local_time(client, organiser, make_series, commit):
    grant_organiser(organiser, make_series(slug="big-buyers", title="Big Buyers"))
    commit()
    page = client.get("/manage/events/new?series=big-buyers")
    assert page.status_code == 200
    assert '<option selected value="big-buyers">' in text_of(page)

    response = _post(client, "/manage/events/new?series=big-buyers", {**FORM, "series": "big-buyers"})

    (event,) = _events()
    assert response.status_code == 302 and response.headers["Location"] == f"/events/{event.id}"
    assert event.starts_at == datetime(2027, 1, 15, 13, 0, tzinfo=UTC)  # 14:00 CET
    assert event.ends_at == datetime(2027, 1, 15, 15, 30, tzinfo=UTC)
    assert (event.timezone, event.series.slug, event.capacity, event.number) == ("Europe/Warsaw", "big-buyers", 40, 1)
    assert "Event created." in visible_text(text_of(client.get(response.headers["Location"])))


def test_moving_an_event_emails_its_registrants_a_higher_sequence(client, organiser, make_event, make_person, now):
    event = make_event(timezone="Europe/Warsaw", starts_at=datetime(2027, 1, 15, 13, 0, tzinfo=UTC))
    grant_organiser(organiser, event)
    register(event, make_person(email="anna@example.org"), now)
    db.session.commit()
    path = f"/events/{event.id}/manage/edit"
    assert 'value="2027-01-15 14:00"' in text_of(client.get(path))  # shown in the event's local time

    response = _post(client, path, {**FORM, "title": event.title, "kind": "meeting", "starts_at": "2027-01-16T09:00",
                                    "ends_at": "2027-01-16T11:00"})  # fmt: skip

    assert response.status_code == 302
    db.session.refresh(event)
    assert event.starts_at == datetime(2027, 1, 16, 8, 0, tzinfo=UTC) and event.sequence == 1
    (update,) = _emails("event_update")
    assert update.recipient_email == "anna@example.org"
    calendar = vobject.readOne(update.attachments[0]["content"])
    assert (calendar.method.value, int(calendar.vevent.sequence.value)) == ("REQUEST", 1)


BAD_INPUT = [
    ({"ends_at": "2027-01-15T13:00"}, "ends_at", "must be after starts_at"),
    ({"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"}, "starts_at", "does not exist in Europe/Warsaw"),
    ({"timezone": "Mars/Olympus"}, "timezone", "not an IANA time zone"),
    ({"capacity": "0"}, "capacity", "a whole number &gt;= 1"),
    ({"capacity": "-5"}, "capacity", "a whole number &gt;= 1"),
    ({"title": "x" * 201}, "title", "at most 200 characters"),
    ({"location": "y" * 301}, "location", "300"),
]


@pytest.mark.parametrize(("changes", "name", "message"), BAD_INPUT)
def test_bad_input_on_the_new_event_form_is_shown_next_to_the_field(client, organiser, changes, name, message):
    response = _post(client, "/manage/events/new", {**FORM, **changes})

    assert response.status_code == 422
    assert message in _field_errors(text_of(response), name)
    assert _events() == []


@pytest.mark.parametrize(("changes", "name", "message"), BAD_INPUT[:3])
def test_bad_input_on_the_edit_form_changes_nothing(client, organiser, make_event, make_person, now, changes, name,
                                                    message):  # fmt: skip
    event = make_event(timezone="Europe/Warsaw")
    grant_organiser(organiser, event)
    register(event, make_person(), now)
    db.session.commit()
    before = (event.title, event.starts_at, event.ends_at, event.timezone, event.sequence)

    response = _post(client, f"/events/{event.id}/manage/edit", {**FORM, **changes})

    assert response.status_code == 422
    assert message in _field_errors(text_of(response), name)
    db.session.refresh(event)
    assert (event.title, event.starts_at, event.ends_at, event.timezone, event.sequence) == before
    assert _emails("event_update") == []


def test_cancelling_asks_first_with_the_number_of_people_emailed(client, organiser, make_event, make_person, now):
    event = make_event(capacity=1)
    grant_organiser(organiser, event)
    for email in ("anna@example.org", "bo@example.org"):
        register(event, make_person(email=email), now)  # one confirmed, one on the waiting list
    db.session.commit()
    path = f"/events/{event.id}/manage/cancel"
    assert "Cancelling emails 2 people" in visible_text(text_of(client.get(path)))
    assert event.status != EventStatus.CANCELLED

    response = _post(client, path, {})

    assert response.status_code == 302 and response.headers["Location"] == f"/events/{event.id}"
    db.session.refresh(event)
    assert event.status == EventStatus.CANCELLED
    assert sorted(m.recipient_email for m in _emails("event_update_cancelled")) == [
        "anna@example.org",
        "bo@example.org",
    ]
    confirmed = next(m for m in _emails("event_update_cancelled") if m.attachments)
    assert vobject.readOne(confirmed.attachments[0]["content"]).method.value == "CANCEL"


def test_event_and_series_pages_link_organisers_to_the_pages(client, organiser, make_series, make_event, commit):
    grant_organiser(organiser, make_series(slug="cospro"))
    event = make_event(series="cospro")
    commit()
    event_page = text_of(client.get(f"/events/{event.id}"))
    assert f'href="/events/{event.id}/manage/edit"' in event_page
    assert f'href="/events/{event.id}/manage/cancel"' in event_page
    assert 'href="/manage/events/new?series=cospro"' in text_of(client.get("/series/cospro"))


def test_members_see_no_management_links(client, make_user, make_series, make_event, login, commit):
    make_series(slug="cospro")
    event = make_event(series="cospro")
    user = make_user("member")
    commit()
    login(user)
    assert "/manage/" not in text_of(client.get(f"/events/{event.id}"))
    assert "/manage/events/new" not in text_of(client.get("/series/cospro"))


VIEWERS = ("anonymous", "member", "secretary", "other_organiser", "organiser", "admin")
EXPECTED = {
    "new": (302, 403, 403, 200, 200, 200),
    "new_in_series": (302, 403, 403, 403, 200, 200),  # ?series= preselects only a series the organiser runs
    "edit": (302, 403, 403, 403, 200, 200),
    "cancel": (302, 403, 403, 403, 200, 200),
    "edit_standalone": (302, 403, 403, 403, 200, 200),  # no series: its creator and admins
    "cancel_standalone": (302, 403, 403, 403, 200, 200),
    "edit_hidden": (404, 404, 404, 403, 200, 200),  # a members-only event the viewer may not see
    "cancel_hidden": (404, 404, 404, 403, 200, 200),
}


@pytest.mark.parametrize("page", EXPECTED)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_permission_matrix(client, make_user, make_organiser, make_series, make_event, login, commit, viewer, page):
    """The organiser of the event's series (or of an event without one, its creator) and admins; an organiser of
    another series sees the event (organisers see every event) but may not manage it: 403."""
    public_series, hidden_series = make_series(slug="cospro"), make_series(slug="big-buyers-wg", visibility="members")
    public, hidden = make_event(series=public_series.slug), make_event(series=hidden_series.slug)
    standalone = make_event()
    paths = {
        "new": "/manage/events/new",
        "new_in_series": "/manage/events/new?series=cospro",
        "edit": f"/events/{public.id}/manage/edit",
        "cancel": f"/events/{public.id}/manage/cancel",
        "edit_standalone": f"/events/{standalone.id}/manage/edit",
        "cancel_standalone": f"/events/{standalone.id}/manage/cancel",
        "edit_hidden": f"/events/{hidden.id}/manage/edit",
        "cancel_hidden": f"/events/{hidden.id}/manage/cancel",
    }
    users = {
        "organiser": lambda: make_organiser(public_series, hidden_series, standalone),
        "other_organiser": lambda: make_organiser(make_series(slug="bsi")),
    }
    user = None if viewer == "anonymous" else users.get(viewer, lambda: make_user(viewer))()
    commit()
    if user is not None:
        login(user)

    response = client.get(paths[page])

    assert response.status_code == EXPECTED[page][VIEWERS.index(viewer)]
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login?next=")


def test_an_organiser_of_another_series_may_not_post_either(client, make_organiser, make_series, make_event, login,
                                                            commit):  # fmt: skip
    event = make_event(series=make_series(slug="cospro").slug)
    user = make_organiser(make_series(slug="bsi"))
    commit()
    login(user)
    token = csrf_token_from(text_of(client.get("/account")))
    for path in (f"/events/{event.id}/manage/edit", f"/events/{event.id}/manage/cancel"):
        assert client.post(path, data={**FORM, "csrf_token": token}).status_code == 403
    db.session.refresh(event)
    assert event.status != EventStatus.CANCELLED and event.title != FORM["title"]


def test_the_series_choices_are_the_organisers_own_and_another_series_is_refused(
    client, organiser, make_series, commit
):
    grant_organiser(organiser, make_series(slug="bsi", title="BSI conferences"))
    make_series(slug="cospro", title="COSPRO")
    commit()
    page = text_of(client.get("/manage/events/new"))
    assert 'value="bsi"' in page and 'value="cospro"' not in page

    response = _post(client, "/manage/events/new", {**FORM, "series": "cospro"})

    assert response.status_code == 422
    assert "Choose a series you organise." in _field_errors(text_of(response), "series")
    assert _events() == []


def test_an_event_without_a_series_is_its_creators(client, organiser, make_organiser, login, commit):
    response = _post(client, "/manage/events/new", FORM)

    (event,) = _events()
    assert response.status_code == 302 and event.created_by_id == organiser.id
    assert client.get(f"/events/{event.id}/manage/edit").status_code == 200
    other = make_organiser()
    commit()
    client.post("/logout", data={"csrf_token": csrf_token_from(text_of(client.get("/account")))})
    login(other)
    assert client.get(f"/events/{event.id}/manage/edit").status_code == 403


@pytest.mark.parametrize("viewer", ["member", "secretary"])
def test_only_organisers_may_post(client, make_user, make_event, login, commit, viewer):
    event = make_event()
    user = make_user(viewer)
    commit()
    login(user)
    token = csrf_token_from(text_of(client.get("/account")))
    for path in ("/manage/events/new", f"/events/{event.id}/manage/edit", f"/events/{event.id}/manage/cancel"):
        assert client.post(path, data={**FORM, "csrf_token": token}).status_code == 403
    db.session.refresh(event)
    assert event.status != EventStatus.CANCELLED and len(_events()) == 1


def test_a_secretary_of_the_series_still_may_not_manage_its_events(client, make_user, make_series, make_event, login,
                                                                   commit):  # fmt: skip
    series = make_series(slug="taskforce", visibility="members")
    event = make_event(series="taskforce")
    user = make_user("member")
    add_series_member(series, user.email, role="secretary")
    commit()
    login(user)
    assert client.get(f"/events/{event.id}/manage/edit").status_code == 403


def test_every_form_needs_the_csrf_token(client, organiser, make_event, commit):
    event = make_event()
    commit()
    for path in ("/manage/events/new", f"/events/{event.id}/manage/edit", f"/events/{event.id}/manage/cancel"):
        assert client.post(path, data=FORM).status_code == 400
    db.session.refresh(event)
    assert event.status != EventStatus.CANCELLED and len(_events()) == 1


def test_the_zone_picker_offers_the_series_usual_zone_then_europe(client, organiser, make_series, make_event, commit):
    grant_organiser(organiser, make_series(slug="bsi"))
    make_event(series="bsi", timezone="America/Toronto")
    commit()
    html = text_of(client.get("/manage/events/new?series=bsi"))
    zones = re.findall(r'<option (?:selected )?value="([A-Za-z_]+/[^"]+)"', html.split('name="timezone"', 1)[1])
    assert zones[0] == "America/Toronto"
    assert zones[1].startswith("Europe/") and zones.index("Europe/Zurich") < zones.index("Africa/Abidjan")
    assert '<option selected value="America/Toronto">' in html


def test_a_cancelled_event_cannot_be_edited(client, organiser, make_event, commit):
    event = make_event()
    grant_organiser(organiser, event)
    commit()
    assert _post(client, f"/events/{event.id}/manage/cancel", {}).status_code == 302

    response = _post(client, f"/events/{event.id}/manage/edit", {**FORM, "title": "Renamed"})

    assert response.status_code == 422 and "A cancelled event cannot be changed." in text_of(response)
    db.session.refresh(event)
    assert event.title != "Renamed"


def test_the_pages_speak_danish(client, organiser, make_event, make_person, now):
    event = make_event()
    grant_organiser(organiser, event)
    register(event, make_person(), now)
    db.session.commit()
    new_page = text_of(client.get("/manage/events/new?lang=da"))
    assert "Nyt arrangement" in new_page and "Tidszone" in new_page and 'value="Gem arrangement"' in new_page
    cancel_page = visible_text(text_of(client.get(f"/events/{event.id}/manage/cancel?lang=da")))
    assert "Ved aflysning får 1 person" in cancel_page
