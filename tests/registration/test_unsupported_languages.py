"""Invitees in a language eventhub does not speak are invited, not refused: their code is stored normalised, they
read the event's language (i18n's one rule), and the organiser is warned by line, on the page and in the API."""

from __future__ import annotations

import io

import pytest

from eventhub.events.models import Person
from eventhub.events.people import LanguageFallback
from eventhub.extensions import db
from eventhub.i18n import LanguageSource
from eventhub.registration.invitations import invite_people
from eventhub.registration.invitee_lists import InviteeRow
from tests.conftest import csrf_token_from
from tests.registration.conftest import last_email
from tests.web.conftest import text_of, visible_text

POLISH_EVENT = {"title": "Konferencja", "language": "pl"}
WARNING = "Line {line}: Language '{code}' is not one eventhub speaks; {email} will read {reads} ({why})."


def _person(email: str) -> Person:
    return db.session.query(Person).filter_by(email=email).one()


def test_a_list_stores_every_well_formed_code_and_warns_about_the_ones_not_spoken(conference, now):
    event = conference(**POLISH_EVENT)
    rows = [
        InviteeRow(2, "ana@example.org", "Ana", language="pt"),
        InviteeRow(3, "lukas@example.org", "Lukas", language="de-AT"),
        InviteeRow(4, "ola@example.org", "Ola", language="nb-NO"),
        InviteeRow(5, "jon@example.org", "Jon", language="nn"),
        InviteeRow(6, "bia@example.org", "Bia", language="pt-BR"),
        InviteeRow(7, "bad@example.org", "Bad", language="x1!"),
        InviteeRow(8, "eve@example.org", "Eve"),
    ]

    result = invite_people(event, rows, None, now)

    stored = {i.person.email: i.person.language for i in result.created}
    assert stored == {"ana@example.org": "pt", "lukas@example.org": "de", "ola@example.org": "nb",
                      "jon@example.org": "nb", "bia@example.org": "pt-br", "eve@example.org": None}  # fmt: skip
    assert result.warnings == [
        LanguageFallback(2, "ana@example.org", "pt", "pl", LanguageSource.EVENT),
        LanguageFallback(6, "bia@example.org", "pt-br", "pl", LanguageSource.EVENT),
    ]
    assert [(e["line"], e["reason"]) for e in result.errors] == [
        (7, "language: a language code such as da, de-AT or pt-BR")
    ]


def test_the_invitation_is_written_in_the_language_the_reader_gets(conference, now):
    event = conference(**POLISH_EVENT)
    invite_people(event, [InviteeRow(1, "ana@example.org", "Ana", language="pt")], None, now)
    assert last_email("invitation", "ana@example.org").language == "pl"  # the row says what it is written in


def test_without_an_event_language_the_series_then_english_is_named(conference, make_series, now):
    series = make_series(slug="bsi")
    series.language = "da"
    in_series = conference(series="bsi")
    alone = conference(title="Alone")
    assert invite_people(in_series, [InviteeRow(1, "a@example.org", language="pt")], None, now).warnings == [
        LanguageFallback(1, "a@example.org", "pt", "da", LanguageSource.SERIES)
    ]
    assert invite_people(alone, [InviteeRow(1, "b@example.org", language="pt")], None, now).warnings == [
        LanguageFallback(1, "b@example.org", "pt", "en", LanguageSource.DEFAULT)
    ]


def test_someone_known_keeps_their_language_and_is_not_warned_about(conference, make_person, now):
    make_person("known@example.org", language="da")
    result = invite_people(conference(**POLISH_EVENT), [InviteeRow(1, "known@example.org", language="pt")], None, now)
    assert _person("known@example.org").language == "da" and result.warnings == []


# --------------------------------------------------------------------------------------------------------------
# The organiser's page and the API
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def organiser_page(client, conference, make_organiser, login, commit):
    """A Polish event, its organiser logged in; returns (event, the invitations page's CSRF token)."""
    event = conference(**POLISH_EVENT)
    organiser = make_organiser(event)
    commit()
    login(organiser)
    page = f"/events/{event.id}/manage/invitations"
    return event, page, csrf_token_from(text_of(client.get(page)))


def test_a_pasted_list_warns_by_line_on_the_page(client, organiser_page):
    _, page, token = organiser_page
    pasted = "eve@example.org\nana@example.org; Ana Lima; ; pt\nbad@example.org; Bad; ; x1!\n"
    response = client.post(page, data={"csrf_token": token, "invitees": pasted})
    text = visible_text(text_of(response))
    assert response.status_code == 200
    assert "Invited: 2. Skipped: 0. Not valid: 1." in text
    assert (
        WARNING.format(line=2, code="pt", email="ana@example.org", reads="Polish", why="the event's language") in text
    )
    assert _person("ana@example.org").language == "pt"


def test_a_csv_file_warns_by_line_on_the_page_in_the_pages_language(client, organiser_page):
    _, page, token = organiser_page
    data = b"email;name;language\nana@example.org;Ana;pt-BR\nlukas@example.org;Lukas;de-AT\n"
    response = client.post(
        page + "?lang=da", data={"csrf_token": token, "file": (io.BytesIO(data), "list.csv")},
        content_type="multipart/form-data",
    )  # fmt: skip
    text = visible_text(text_of(response))
    assert (
        "Linje 2: Sproget 'pt-br' er ikke et, eventhub taler; ana@example.org vil læse polsk (arrangementets sprog)."
        in text
    )
    assert _person("lukas@example.org").language == "de"


def test_one_invitee_in_a_language_not_spoken_is_invited_with_a_warning(client, organiser_page):
    _, page, token = organiser_page
    data = {"csrf_token": token, "email": "ana@example.org", "name": "Ana", "language": "pt"}
    text = visible_text(text_of(client.post(page, data=data)))
    assert "Invited: 1." in text
    assert (
        WARNING.format(line=1, code="pt", email="ana@example.org", reads="Polish", why="the event's language") in text
    )


def test_the_invite_form_offers_the_languages_by_their_own_names(client, organiser_page):
    _, page, _ = organiser_page
    html = text_of(client.get(page))
    assert 'list="language-codes"' in html and '<option value="el" lang="el">Ελληνικά</option>' in html


def test_the_api_answers_a_warning_per_invitee_it_cannot_write_to_in_their_language(
    client, admin, conference, assert_schema, commit
):
    event = conference(**POLISH_EVENT)
    commit()
    invitees = [
        {"email": "eve@example.org"},
        {"email": "ana@example.org", "name": "Ana", "language": "pt"},
        {"email": "lukas@example.org", "language": "de-AT"},
        {"email": "bad@example.org", "language": "x1!"},
    ]
    response = client.post(f"/api/v1/events/{event.id}/invitations", json={"invitees": invitees}, headers=admin)
    result = response.get_json()
    assert response.status_code == 201, result
    assert_schema(result, "InvitationResult")
    assert result["warnings"] == [
        {"line": 2, "email": "ana@example.org", "language": "pt", "reads": "pl",
         "message": WARNING.format(line=2, code="pt", email="ana@example.org", reads="Polish",
                                   why="the event's language")}
    ]  # fmt: skip
    assert {c["email"]: c["language"] for c in result["created"]} == {
        "eve@example.org": None, "ana@example.org": "pt", "lukas@example.org": "de"
    }  # fmt: skip
    assert [e["line"] for e in result["errors"]] == [4]
