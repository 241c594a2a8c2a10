"""Someone added without a language (an invitation list pasted or uploaded, the member list, the API) has none
stored, so they read the event's language (i18n's rule: theirs, else the event's, else the series', else English)
instead of English; an "en" that was given is theirs and wins over the event's."""

from __future__ import annotations

import io

import pytest

from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.i18n import reader_language
from tests.conftest import csrf_token_from, grant_organiser
from tests.registration.conftest import last_email
from tests.web.conftest import text_of, visible_text

POLISH_EVENT = {"title": "Konferencja", "language": "pl"}


def _person(email: str) -> Person:
    return db.session.query(Person).filter_by(email=email).one()


@pytest.mark.parametrize(("given", "stored", "reads"), [("", None, "pl"), ("en", "en", "en")])
def test_an_invitee_reads_the_events_language_unless_they_gave_one(conference, invite, given, stored, reads):
    invitation, _ = invite(conference(**POLISH_EVENT), language=given)
    assert invitation.person.language == stored
    assert last_email("invitation", invitation.person.email).language == reads


def test_a_csv_file_without_a_language_column_invites_in_the_events_language(
    client, conference, make_organiser, login, commit
):
    event = conference(**POLISH_EVENT)
    organiser = make_organiser(event)
    commit()
    login(organiser)
    page = f"/events/{event.id}/manage/invitations"
    token = csrf_token_from(text_of(client.get(page)))
    data = b"email;name\nana@example.org;Ana\n"
    response = client.post(
        page, data={"csrf_token": token, "file": (io.BytesIO(data), "list.csv")}, content_type="multipart/form-data"
    )
    text = visible_text(text_of(response))
    assert "Invited: 1." in text and "is not one eventhub speaks" not in text  # nothing to warn about
    assert _person("ana@example.org").language is None
    assert last_email("invitation", "ana@example.org").language == "pl"


def test_the_api_invites_without_a_language_in_the_events_language(client, admin, conference, commit):
    event = conference(**POLISH_EVENT)
    commit()
    invitees = [{"email": "eve@example.org"}, {"email": "tom@example.org", "language": "en"}]
    response = client.post(f"/api/v1/events/{event.id}/invitations", json={"invitees": invitees}, headers=admin)
    assert response.status_code == 201
    assert response.get_json()["warnings"] == []
    listed = client.get(f"/api/v1/events/{event.id}/invitations", headers=admin).get_json()["items"]
    assert {item["email"]: item["language"] for item in listed} == {"eve@example.org": None, "tom@example.org": "en"}
    assert last_email("invitation", "eve@example.org").language == "pl"
    assert last_email("invitation", "tom@example.org").language == "en"


def test_a_member_added_without_a_language_reads_the_series_language(client, make_series, make_user, login, commit):
    series = make_series(slug="wg", title="Working group")
    series.language = "da"
    organiser = grant_organiser(make_user("organiser"), series)
    commit()
    login(organiser)
    page = "/series/wg/manage/members"
    data = {"csrf_token": csrf_token_from(text_of(client.get(page))), "email": "ana@example.org", "name": "Ana"}
    text = visible_text(text_of(client.post(page, data=data, follow_redirects=True)))
    assert "ana@example.org is now a member" in text and "None" not in text
    assert _person("ana@example.org").language is None
    assert reader_language(_person("ana@example.org"), series) == "da"
