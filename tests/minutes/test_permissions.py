"""Every agenda and minutes route, HTML and API, against every kind of caller.

Members-only things are a 404 for whoever may not see them (anonymous visitors included); editing pages of a
visible meeting send anonymous visitors to log in and answer 403 to people who may see the meeting but not edit. The
series' organisers may edit agendas but not minutes (minutes are the secretaries' record), though they may read the
working copy through the API; as members of the series they comment on circulated drafts. An organiser of another
series sees the meeting (organisers see every event) but may change nothing of it.
"""

from __future__ import annotations

import pytest

from eventhub.agenda import services as agenda_services
from eventhub.demo.taskforce_meeting3 import agenda_input, minutes_input
from eventhub.extensions import db
from eventhub.minutes import publication
from eventhub.minutes import services as minutes_services
from tests.minutes.conftest import NOW

CALLERS = ("anonymous", "outsider", "member", "other_secretary", "secretary", "other_organiser", "organiser", "admin")

# route -> expected status per caller, in CALLERS order.
HTML = {
    ("GET", "/events/{e}/agenda/edit"): (404, 404, 403, 404, 200, 403, 200, 200),
    ("POST", "/events/{e}/agenda/edit"): (404, 404, 403, 404, 302, 403, 302, 302),
    ("GET", "/events/{e}/minutes/edit"): (404, 404, 403, 404, 200, 403, 403, 200),
    ("POST", "/events/{e}/minutes/edit"): (404, 404, 403, 404, 302, 403, 403, 302),
    ("POST", "/events/{e}/minutes/draft"): (404, 404, 403, 404, 302, 403, 403, 302),
    ("POST", "/events/{e}/minutes/circulate"): (404, 404, 403, 404, 302, 403, 403, 302),
    ("GET", "/events/{e}/minutes/publish"): (404, 404, 403, 404, 200, 403, 403, 200),
    ("POST", "/events/{e}/minutes/publish"): (404, 404, 403, 404, 302, 403, 403, 302),
    ("GET", "/events/{e}/attendance"): (404, 404, 403, 404, 200, 403, 403, 200),
    ("GET", "/events/{e}/minutes/comments"): (404, 404, 200, 404, 200, 403, 200, 200),
    ("GET", "/series/{s}/minutes"): (404, 404, 200, 404, 200, 200, 200, 200),
    ("GET", "/series/{s}/minutes/3"): (404, 404, 200, 404, 200, 200, 200, 200),
    ("GET", "/series/{s}/minutes/3/v1"): (404, 404, 200, 404, 200, 200, 200, 200),
    ("GET", "/series/{s}/minutes/3/print"): (404, 404, 200, 404, 200, 200, 200, 200),
    ("GET", "/series/{s}/minutes/3.md"): (404, 404, 200, 404, 200, 200, 200, 200),
    ("GET", "/events/{e}"): (404, 404, 200, 404, 200, 200, 200, 200),
}
API = {
    ("GET", "/api/v1/events/{e}/agenda"): (401, 404, 200, 404, 200, 200, 200, 200),
    ("PUT", "/api/v1/events/{e}/agenda"): (401, 404, 403, 404, 200, 403, 200, 200),
    ("GET", "/api/v1/events/{e}/minutes"): (401, 404, 200, 404, 200, 200, 200, 200),
    ("PUT", "/api/v1/events/{e}/minutes"): (401, 404, 403, 404, 200, 403, 403, 200),
    ("POST", "/api/v1/events/{e}/minutes/publish"): (401, 404, 403, 404, 201, 403, 403, 201),
    ("GET", "/api/v1/series/{s}/minutes"): (401, 404, 200, 404, 200, 200, 200, 200),
}


@pytest.fixture
def published_meeting(taskforce):
    """Meeting 3 with agenda and published minutes (version 1), its draft changed since and circulated."""
    event = taskforce.meeting3
    agenda_services.replace_agenda(event, agenda_input(taskforce.people), NOW)
    agenda_services.publish_agenda(event, NOW)
    minutes_services.update_minutes(event, minutes_input(taskforce.people), NOW)
    publication.publish_version(event, NOW, taskforce.secretary.person)
    minutes_services.update_minutes(event, {"body": minutes_input(taskforce.people)["body"] + "\nRettelse."}, NOW)
    minutes_services.mark_circulated(minutes_services.find_minutes(event), NOW)
    db.session.commit()
    return taskforce


def _form_for(method: str, path: str, client, anonymous: bool) -> dict[str, str]:
    from tests.conftest import csrf_token_from

    if method != "POST":
        return {}
    page = client.get("/login" if anonymous else "/")  # the header's log-out form carries the session's CSRF token
    token = csrf_token_from(page.get_data(as_text=True))
    data = {"csrf_token": token}
    if path.endswith("/agenda/edit"):
        data.update(
            {
                "items-0-title": "Velkommen",
                "items-0-day": "2022-11-15",
                "items-0-starts_at": "14:00",
                "items-0-ends_at": "14:05",
                "items-0-kind": "welcome",
            }
        )
    if path.endswith("/minutes/edit"):
        data.update({"body": "Referat"})
    return data


@pytest.mark.parametrize("caller", CALLERS)
def test_html_matrix(client, published_meeting, login, caller):
    """One test per caller walks every HTML route (one app per caller keeps the matrix fast)."""
    if caller != "anonymous":
        login(getattr(published_meeting, caller))
    wrong = []
    for (method, template), statuses in HTML.items():
        path = template.format(e=published_meeting.meeting3.id, s=published_meeting.series.slug)
        response = client.open(path, method=method, data=_form_for(method, path, client, caller == "anonymous"))
        if response.status_code != statuses[CALLERS.index(caller)]:
            wrong.append((method, path, response.status_code, statuses[CALLERS.index(caller)]))

    assert not wrong, wrong


@pytest.mark.parametrize("caller", CALLERS)
def test_api_matrix(client, published_meeting, bearer, caller):
    """One test per caller walks every API route."""
    taskforce = published_meeting
    headers = bearer(getattr(taskforce, caller)) if caller != "anonymous" else {}
    wrong = []
    for (method, template), statuses in API.items():
        path = template.format(e=taskforce.meeting3.id, s=taskforce.series.slug)
        response = client.open(path, method=method, json=_api_body(method, path, taskforce), headers=headers)
        if response.status_code != statuses[CALLERS.index(caller)]:
            wrong.append(
                (
                    method,
                    path,
                    response.status_code,
                    statuses[CALLERS.index(caller)],
                    response.get_data(as_text=True)[:200],
                )
            )

    assert not wrong, wrong


def _api_body(method: str, path: str, taskforce):
    if method == "PUT" and path.endswith("/agenda"):
        return {"items": agenda_input(taskforce.people)}
    if method == "PUT":
        return {"body": "Referat, rettet."}
    if method == "POST":
        return {"change_note": "Rettelse"}
    return None


def test_organiser_reads_the_working_copy_but_a_member_sees_only_the_published_version(
    client, published_meeting, bearer
):
    path = f"/api/v1/events/{published_meeting.meeting3.id}/minutes"

    as_organiser = client.get(path, headers=bearer(published_meeting.organiser)).json
    as_member = client.get(path, headers=bearer(published_meeting.member)).json

    assert as_organiser["body"].endswith("Rettelse.") and "published_version" in as_organiser
    assert as_member["version"] == 1 and "Rettelse." not in as_member["body"]


def test_a_public_series_shows_its_minutes_to_everyone(client, make_series, make_event, make_user, now):
    from eventhub.events.services import add_series_member

    series = make_series(slug="cospro", title="COSPRO", visibility="public")
    event = make_event(series=series.slug, number=1, starts_at=now)
    secretary = make_user("secretary")
    add_series_member(series, secretary.email, role="secretary")
    minutes_services.update_minutes(event, {"body": "# Webinar 1"}, now)
    publication.publish_version(event, now, secretary.person)
    db.session.commit()

    assert client.get("/series/cospro/minutes/1").status_code == 200
    assert client.get("/series/cospro/minutes").status_code == 200
    assert client.get("/series/cospro/minutes/2").status_code == 404


def test_anonymous_visitors_of_a_public_meetings_editor_are_asked_to_log_in(client, make_series, make_event, now):
    series = make_series(slug="cospro", title="COSPRO", visibility="public")
    event = make_event(series=series.slug, number=1, starts_at=now)
    db.session.commit()

    for path in (f"/events/{event.id}/agenda/edit", f"/events/{event.id}/minutes/edit"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_a_guest_attendee_of_a_members_only_meeting_may_comment_on_the_draft_they_were_sent(
    client, taskforce, make_user, login
):
    """The draft is emailed to the attendees; a guest (no membership) must reach it, and only the draft."""
    from tests.conftest import csrf_token_from

    guest, stranger = make_user(email="guest@example.org"), make_user(email="stranger@example.org")
    event = taskforce.meeting3
    minutes_services.update_minutes(event, {"body": "Udkast", "attendees": [guest.email]}, NOW)
    minutes_services.mark_circulated(minutes_services.find_minutes(event), NOW)
    db.session.commit()

    login(stranger)
    assert client.get(f"/events/{event.id}/minutes/comments").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))})
    login(guest)
    page = client.get(f"/events/{event.id}/minutes/comments")
    assert page.status_code == 200 and "Udkast" in page.get_data(as_text=True)
    token = csrf_token_from(page.get_data(as_text=True))
    posted = client.post(f"/events/{event.id}/minutes/comments", data={"body": "Tak", "csrf_token": token})
    assert posted.status_code == 302
    assert client.get(f"/events/{event.id}").status_code == 404  # the meeting itself stays members-only
    assert client.get(f"/series/{taskforce.series.slug}/minutes/3").status_code == 404
