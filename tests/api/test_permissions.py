"""Who may call what: every operation × every kind of caller, and members-only data hidden as 404."""

from collections.abc import Callable
from typing import Any

import pytest

from eventhub.accounts.services import revoke_api_token, user_for_token
from eventhub.events.services import add_series_member
from eventhub.extensions import db

CALLERS = ("anonymous", "bad-token", "member", "secretary", "other_organiser", "organiser", "admin")
EVENT_BODY = {
    "title": "Webinar",
    "starts_at": "2027-02-01T10:00:00",
    "ends_at": "2027-02-01T11:00:00",
    "timezone": "Europe/Copenhagen",
}
# One item within the meeting (it starts 2026-12-23 at 13:00 in Copenhagen).
AGENDA_BODY = {
    "items": [{"title": "Welcome", "starts_at": "2026-12-23T13:00:00+01:00", "ends_at": "2026-12-23T13:30:00+01:00"}]
}

# (method, path, body, status for a reader (member/secretary), for an organiser of another series, for the series'
# organiser and admins: one status, or (the series' organiser, admins) where they differ, as for the minutes, which
# are the secretaries' and admins' to change)
OPERATIONS = [
    ("get", "/api/v1/series", None, 200, 200, 200),
    ("post", "/api/v1/series", {"slug": "new-series", "title": "New"}, 403, 201, 201),
    ("get", "/api/v1/series/open", None, 200, 200, 200),
    ("patch", "/api/v1/series/open", {"language": "da", "reminder_offsets": [1440]}, 403, 403, 200),
    ("get", "/api/v1/series/open/members", None, 403, 403, 200),
    ("post", "/api/v1/series/open/members", {"email": "new@example.org"}, 403, 403, 201),
    ("get", "/api/v1/events", None, 200, 200, 200),
    ("post", "/api/v1/events", EVENT_BODY, 403, 201, 201),
    ("post", "/api/v1/events", {**EVENT_BODY, "series": "open"}, 403, 403, 201),
    ("get", "/api/v1/events/{event}", None, 200, 200, 200),
    ("patch", "/api/v1/events/{event}", {"title": "Renamed"}, 403, 403, 200),
    ("patch", "/api/v1/events/{standalone}", {"title": "Renamed"}, 403, 403, 200),
    ("patch", "/api/v1/events/{elsewhere}", {"series": "open", "number": 7}, 403, 403, 200),  # into their series
    ("post", "/api/v1/events/{event}/cancel", None, 403, 403, 200),
    ("post", "/api/v1/events/{standalone}/cancel", None, 403, 403, 200),
    ("get", "/api/v1/events/{event}/invitations", None, 403, 403, 200),
    ("post", "/api/v1/events/{event}/invitations", {"invitees": [{"email": "new@example.org"}]}, 403, 403, 201),
    ("get", "/api/v1/events/{event}/registrations", None, 403, 403, 200),
    ("post", "/api/v1/events/{event}/registrations/{waiting}/confirm", {"over_capacity": True}, 403, 403, 200),
    ("post", "/api/v1/events/{event}/registrations/{confirmed}/waitlist", None, 403, 403, 200),
    ("post", "/api/v1/events/{event}/registrations/{confirmed}/cancel", None, 403, 403, 200),
    ("get", "/api/v1/events/{event}/agenda", None, 200, 200, 200),
    ("put", "/api/v1/events/{event}/agenda", AGENDA_BODY, 403, 403, 200),
    # A draft, nothing published yet: readers and another series' organiser see no minutes; its organisers the draft.
    ("get", "/api/v1/events/{event}/minutes", None, 404, 404, 200),
    ("put", "/api/v1/events/{event}/minutes", {"body": "Notes"}, 403, 403, (403, 200)),
    ("post", "/api/v1/events/{event}/minutes/publish", None, 403, 403, (403, 201)),
    ("get", "/api/v1/series/open/minutes", None, 200, 200, 200),
    ("get", "/api/v1/events/{event}/questions", None, 403, 403, 200),
    ("post", "/api/v1/events/{event}/questions", {"kind": "short_text", "label": "Diet"}, 403, 403, 201),
    ("put", "/api/v1/events/{event}/questions/{question}/translations", {"translations": {}}, 403, 403, 200),
    ("get", "/api/v1/series/open/questions", None, 403, 403, 200),
    ("post", "/api/v1/series/open/questions", {"kind": "short_text", "label": "Diet"}, 403, 403, 201),
    ("put", "/api/v1/series/open/questions/{series_question}/translations", {"translations": {}}, 403, 403, 200),
    # Anyone's personal data: admins only (an organiser of the series may not export or erase its members).
    ("get", "/api/v1/people/export?email=nobody@example.org", None, 403, 403, (403, 200)),
    ("post", "/api/v1/people/erase", {"email": "nobody@example.org"}, 403, 403, (403, 200)),
]


@pytest.fixture
def world(make_series, make_event, make_person, now) -> dict[str, Any]:
    """A public series with a public meeting (one place: one confirmed registration, one on the waiting list; draft
    minutes), an event without a series, and an event of another series the organiser also runs; committed so
    requests see them."""
    from eventhub.minutes.services import update_minutes
    from eventhub.registration.questions import add_question
    from eventhub.registration.services import register

    open_series, other = make_series(slug="open"), make_series(slug="other")
    event, standalone = make_event(series="open", capacity=1), make_event(title="No series")
    elsewhere = make_event(series="other")
    confirmed, waiting = register(event, make_person(), now), register(event, make_person(), now)
    update_minutes(event, {"body": "Notes"}, now)
    question, series_question = (
        add_question(event, "short_text", "Diet"),
        add_question(open_series, "yes_no", "Dinner?"),
    )
    db.session.commit()
    return {
        "event": event,
        "standalone": standalone,
        "elsewhere": elsewhere,
        "managed": (open_series, other),
        "registrations": {"confirmed": confirmed.id, "waiting": waiting.id},
        "questions": {"question": question.id, "series_question": series_question.id},
    }


def headers_for(caller: str, auth: Callable[..., dict[str, str]], organiser_auth, world) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    if caller == "bad-token":
        return {"Authorization": "Bearer ehk_not-a-real-token"}
    if caller == "organiser":
        return organiser_auth(*world["managed"], world["standalone"])
    if caller == "other_organiser":
        return organiser_auth()
    return auth(caller)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "reader", "other", "staff"), OPERATIONS, ids=[f"{o[0]} {o[1]}" for o in OPERATIONS]
)
def test_permission_matrix(client, auth, organiser_auth, world, caller, method, path, body, reader, other, staff):
    """Readers may not change anything; an organiser manages their series and the events in them (and the events
    without a series they created), another series' organiser gets a 403 there; admins everything."""
    expected = {"anonymous": 401, "bad-token": 401, "member": reader, "secretary": reader}.get(caller, staff)
    expected = other if caller == "other_organiser" else expected
    if isinstance(expected, tuple):
        expected = expected[caller == "admin"]
    ids = {name: world[name].id for name in ("event", "standalone", "elsewhere")} | world["registrations"]
    ids |= world["questions"]
    headers = headers_for(caller, auth, organiser_auth, world)
    response = getattr(client, method)(path.format(**ids), json=body, headers=headers)
    assert response.status_code == expected, response.get_json()
    if expected == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["error"]["code"] == "unauthorized"
    if expected == 403:
        assert response.get_json()["error"]["code"] == "forbidden"


def test_the_creator_of_a_series_organises_it_and_its_events(client, organiser_auth, auth):
    headers = organiser_auth()
    created = client.post("/api/v1/series", json={"slug": "bsi", "title": "BSI"}, headers=headers)
    assert created.status_code == 201
    event = client.post("/api/v1/events", json={**EVENT_BODY, "series": "bsi"}, headers=headers)
    assert event.status_code == 201
    assert client.get("/api/v1/series/bsi/members", headers=headers).get_json()["items"][0]["role"] == "organiser"
    assert client.post(f"/api/v1/events/{event.get_json()['id']}/cancel", headers=headers).status_code == 200
    assert client.post(f"/api/v1/events/{event.get_json()['id']}/cancel", headers=organiser_auth()).status_code == 403


def test_an_event_moves_only_into_a_series_its_organiser_runs(client, organiser_auth, world):
    headers = organiser_auth(world["managed"][1])  # organises "other", not "open"
    path = f"/api/v1/events/{world['elsewhere'].id}"
    response = client.patch(path, json={"series": "open", "number": 7}, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["fields"] == {"series": "you do not organise this series"}
    assert client.patch(path, json={"title": "Renamed"}, headers=headers).status_code == 200


def test_openapi_document_needs_no_token(client):
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_revoked_token_is_refused(client, api_token, app):
    token = api_token("admin")
    user = user_for_token(token)
    revoke_api_token(user.api_tokens[0].id, user)
    db.session.commit()
    response = client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


@pytest.fixture
def closed(make_series, make_event) -> dict[str, Any]:
    """A members-only series with one event, and a public event outside any series."""
    series = make_series(slug="closed", visibility="members")
    hidden = make_event(title="Closed meeting", series="closed")
    public = make_event(title="Open webinar")
    db.session.commit()
    return {"series": series, "hidden": hidden.id, "public": public.id}


@pytest.mark.parametrize("path", ["/api/v1/series/closed", "/api/v1/events/{hidden}", "/api/v1/series/closed/members"])
def test_members_only_things_are_404_to_outsiders(client, auth, closed, path):
    response = client.get(path.format(**closed), headers=auth("member"))
    assert response.status_code == 404
    assert "closed" not in str(response.get_json()["error"]["fields"])


def test_lists_hide_members_only_things_from_outsiders(client, auth, closed):
    headers = auth("member")
    events = client.get("/api/v1/events", headers=headers).get_json()["items"]
    series = client.get("/api/v1/series", headers=headers).get_json()["items"]
    assert [e["title"] for e in events] == ["Open webinar"]
    assert series == []
    filtered = client.get("/api/v1/events?series=closed", headers=headers)
    assert filtered.status_code == 422


def test_a_public_event_of_a_members_only_series_stays_hidden(client, auth, make_series, make_event):
    make_series(slug="closed", visibility="members")
    make_event(title="Public-looking", series="closed", visibility="public")
    db.session.commit()
    events = client.get("/api/v1/events", headers=auth("member")).get_json()["items"]
    assert events == []


def test_members_see_their_series_and_its_events(client, auth, closed):
    headers = auth("member", email="anna@kk.dk")
    add_series_member(closed["series"], "anna@kk.dk")
    db.session.commit()
    assert client.get("/api/v1/series/closed", headers=headers).status_code == 200
    assert client.get(f"/api/v1/events/{closed['hidden']}", headers=headers).status_code == 200
    titles = [e["title"] for e in client.get("/api/v1/events", headers=headers).get_json()["items"]]
    assert sorted(titles) == ["Closed meeting", "Open webinar"]
    assert [s["slug"] for s in client.get("/api/v1/series", headers=headers).get_json()["items"]] == ["closed"]
    assert client.get("/api/v1/series/closed/members", headers=headers).status_code == 403


def test_the_series_secretary_may_list_its_members(client, auth, closed):
    headers = auth("secretary", email="bo@kk.dk")
    add_series_member(closed["series"], "bo@kk.dk", role="secretary")
    db.session.commit()
    response = client.get("/api/v1/series/closed/members", headers=headers)
    assert response.status_code == 200
    assert [m["email"] for m in response.get_json()["items"]] == ["bo@kk.dk"]
