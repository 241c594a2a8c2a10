"""The language switcher in every page's header: a labelled list of the 17 languages by their own names, which
posts the choice (CSRF-checked), keeps it for the visit and on a signed-in person's account, and comes back to the
page it was chosen on, never to another site. ``?lang=`` links keep working."""

from __future__ import annotations

import re
from html import unescape

import pytest

from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.i18n import LANGUAGE_NAMES
from tests.conftest import csrf_token_from
from tests.web.conftest import text_of


def switcher(html: str) -> str:
    return html.split('class="language-switcher"', 1)[1].split("</form>", 1)[0]


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', text_of(response)).group(1)


def next_of(html: str) -> str | None:
    found = re.search(r'name="next" value="([^"]*)"', switcher(html))
    return unescape(found.group(1)) if found else None


def choose(client, language: str, page: str = "/"):
    html = text_of(client.get(page))
    data = {"csrf_token": csrf_token_from(html), "lang": language}
    if next_of(html) is not None:
        data["next"] = next_of(html)
    return client.post("/language", data=data)


def test_every_language_is_offered_by_its_own_name_in_a_labelled_list(client):
    html = text_of(client.get("/"))
    form = switcher(html)
    assert '<label for="language-switcher">Language</label>' in form
    options = re.findall(r'<option value="([^"]+)" lang="([^"]+)"( selected)?>([^<]+)</option>', form)
    assert [(value, name) for value, _, _, name in options] == list(LANGUAGE_NAMES.items())
    assert all(value == lang for value, lang, _, _ in options)
    assert [value for value, _, selected, _ in options if selected] == ["en"]
    assert 'type="submit"' in form and 'name="csrf_token"' in form
    assert 'method="post" action="/language"' in re.search(r'<form class="language-switcher"[^>]*>', html).group(0)


def test_choosing_a_language_goes_back_to_the_page_in_that_language(client):
    response = choose(client, "da", "/?page=2&lang=en")
    assert response.status_code == 302 and response.headers["Location"] == "/?page=2"  # lang= would overrule it
    page = client.get("/?page=2")
    assert page_language(page) == "da" and "Gå til indhold" in text_of(page)
    assert page_language(client.get("/series/none")) == "da"  # every page, errors included, for the visit


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/\n/evil",
        "/\t/evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_way_back_never_leads_to_another_site(client, target):
    token = csrf_token_from(text_of(client.get("/")))
    response = client.post("/language", data={"csrf_token": token, "lang": "da", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "path", ["/%5Cevil.example", "/%5C%5Cevil.example/x", "/%2F%2Fevil.example", "/%09/evil.example"]
)
def test_on_an_error_page_the_switcher_stays_on_the_site(client, path):
    response = client.get(path)
    assert response.status_code == 404
    token = csrf_token_from(text_of(response))
    data = {"csrf_token": token, "lang": "da", "next": next_of(text_of(response)) or ""}
    location = client.post("/language", data=data).headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location


def test_without_a_csrf_token_or_with_a_language_not_spoken_nothing_changes(client):
    assert client.post("/language", data={"lang": "da"}).status_code == 400
    token = csrf_token_from(text_of(client.get("/")))
    assert client.post("/language", data={"csrf_token": token, "lang": "pt"}).status_code == 400
    assert page_language(client.get("/")) == "en"


def test_a_signed_in_person_keeps_the_choice_on_their_account(client, make_user, login, commit):
    user = make_user("member", email="anna@example.org", language="en")
    commit()
    login(user)
    assert choose(client, "pl").status_code == 302
    db.session.expire_all()
    assert db.session.query(Person).filter_by(email="anna@example.org").one().language == "pl"


def test_lang_links_keep_working(client):
    assert page_language(client.get("/?lang=el")) == "el"
    assert page_language(client.get("/")) == "el"  # kept for the visit
