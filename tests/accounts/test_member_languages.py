"""Members in a language eventhub does not speak are added, not refused: they read the series' language, and the
organiser is told so, on the members page (one person or a list) and in the API's answer."""

from __future__ import annotations

import io

import pytest

from eventhub.events.models import Person
from eventhub.extensions import db
from tests.conftest import csrf_token_from, grant_organiser
from tests.web.conftest import text_of, visible_text

PAGE = "/series/wg/manage/members"


@pytest.fixture
def members_page(client, make_series, make_user, login, commit):
    """A series whose emails are Danish, its organiser logged in; returns the page's CSRF token."""
    series = make_series(slug="wg", title="Working group")
    series.language = "da"
    organiser = grant_organiser(make_user("organiser"), series)
    commit()
    login(organiser)
    return csrf_token_from(text_of(client.get(PAGE)))


def _language_of(email: str) -> str:
    return db.session.query(Person).filter_by(email=email).one().language


def test_one_member_in_a_language_not_spoken_is_added_with_a_warning(client, members_page):
    data = {"csrf_token": members_page, "email": "ana@example.org", "name": "Ana", "language": "pt-BR"}
    text = visible_text(text_of(client.post(PAGE, data=data, follow_redirects=True)))
    assert "ana@example.org is now a member" in text
    assert (
        "Language 'pt-br' is not one eventhub speaks; ana@example.org will read Danish (the series' language)." in text
    )
    assert _language_of("ana@example.org") == "pt-br"


def test_a_regional_variant_is_stored_as_the_language_eventhub_speaks_without_a_warning(client, members_page):
    data = {"csrf_token": members_page, "email": "lukas@example.org", "language": "de-AT"}
    text = visible_text(text_of(client.post(PAGE, data=data, follow_redirects=True)))
    assert "is not one eventhub speaks" not in text and _language_of("lukas@example.org") == "de"


@pytest.mark.parametrize("as_file", [False, True])
def test_a_list_warns_by_line(client, members_page, as_file):
    listed = (
        "email;name;organisation;language\neve@example.org;Eve;;da\nana@example.org;Ana;;pt\nola@example.org;Ola;;no\n"
    )
    data = {"csrf_token": members_page}
    if as_file:
        data["file"] = (io.BytesIO(listed.encode()), "members.csv")
    else:
        data["members"] = listed
    text = visible_text(text_of(client.post(PAGE + "/list", data=data, content_type="multipart/form-data")))
    assert "Added: 3." in text
    assert (
        "Line 3: Language 'pt' is not one eventhub speaks; ana@example.org will read Danish (the series' language)."
        in text
    )
    assert text.count("is not one eventhub speaks") == 1 and _language_of("ola@example.org") == "nb"


def test_the_api_adds_the_member_and_warns(client, admin, make_series, assert_schema, commit):
    series = make_series(slug="wg")
    series.language = "sv"
    commit()
    body = {"email": "ana@example.org", "name": "Ana", "language": "pt"}
    response = client.post("/api/v1/series/wg/members", json=body, headers=admin)
    assert response.status_code == 201
    answer = response.get_json()
    assert_schema(answer, "MemberAdded")
    assert answer["warnings"] == [
        {"line": None, "email": "ana@example.org", "language": "pt", "reads": "sv",
         "message": "Language 'pt' is not one eventhub speaks; ana@example.org will read Swedish (the series' "
                    "language)."}
    ]  # fmt: skip
    again = client.post("/api/v1/series/wg/members", json=body, headers=admin)
    assert again.status_code == 200 and again.get_json()["warnings"] == []  # nobody new was added


@pytest.mark.parametrize("language", ["x1!", "english", "de-"])
def test_the_api_refuses_what_is_no_language_code(client, admin, make_series, commit, language):
    make_series(slug="wg")
    commit()
    body = {"email": "ana@example.org", "language": language}
    response = client.post("/api/v1/series/wg/members", json=body, headers=admin)
    assert response.status_code == 422 and "language" in response.get_json()["error"]["fields"]
