"""/api/v1 registration questions with their translations: listing, adding with translations, replacing them,
and the fields a refused translation is reported under."""

from __future__ import annotations

import pytest

from eventhub.extensions import db
from eventhub.registration.questions import add_question

ROLES = ["Zamawiający publiczny", "Przedsiębiorstwo społeczne", "Inne"]
ROLES_EN = ["Public buyer", "Social-economy enterprise", "Other"]


@pytest.fixture
def event(make_series, make_event):
    series = make_series(slug="bsi")
    series.language = "en"
    event = make_event(series="bsi", language="pl")
    add_question(series, "short_text", "Your organisation")
    db.session.commit()
    return event


def test_a_question_is_added_with_its_translations_and_listed_after_the_series_questions(
    client, admin, event, assert_schema
):
    body = {
        "kind": "single_choice",
        "label": "Uczestniczysz jako",
        "required": True,
        "choices": ROLES,
        "translations": {"en": {"label": "You take part as", "options": ROLES_EN}},
    }
    created = client.post(f"/api/v1/events/{event.id}/questions", json=body, headers=admin)
    assert created.status_code == 201, created.get_json()
    assert_schema(created.get_json(), "Question")
    assert created.get_json()["translations"] == {
        "en": {"label": "You take part as", "help_text": "", "options": ROLES_EN}
    }

    answer = client.get(f"/api/v1/events/{event.id}/questions", headers=admin).get_json()
    assert_schema(answer, "QuestionList")
    listed = answer["items"]
    assert [(q["label"], q["language"], q["from_series"]) for q in listed] == [
        ("Your organisation", "en", True),
        ("Uczestniczysz jako", "pl", False),
    ]


def test_a_refused_translation_adds_no_question_and_names_the_field(client, admin, event):
    body = {"kind": "single_choice", "label": "Uczestniczysz jako", "choices": ROLES}
    body["translations"] = {"en": {"label": "You take part as", "options": ROLES_EN[:2]}, "pl": {"label": "X"}}

    response = client.post(f"/api/v1/events/{event.id}/questions", json=body, headers=admin)

    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"translations.en.options", "translations.pl.language", "translations.pl.options"}
    assert "already" in fields["translations.pl.language"]  # the event is written in Polish
    assert len(client.get(f"/api/v1/events/{event.id}/questions", headers=admin).get_json()["items"]) == 1


def test_put_replaces_all_translations_of_an_own_question_only(client, admin, event):
    own = client.post(
        f"/api/v1/events/{event.id}/questions",
        json={"kind": "short_text", "label": "Dieta", "translations": {"en": {"label": "Diet"}}},
        headers=admin,
    ).get_json()
    path = f"/api/v1/events/{event.id}/questions/{own['id']}/translations"

    replaced = client.put(path, json={"translations": {"de": {"label": "Ernährung"}}}, headers=admin)
    assert replaced.status_code == 200 and set(replaced.get_json()["translations"]) == {"de"}
    assert client.put(path, json={"translations": {}}, headers=admin).get_json()["translations"] == {}
    assert client.put(path, json={"translations": {"EN": {"label": "x"}}}, headers=admin).status_code == 422

    series_question = client.get("/api/v1/series/bsi/questions", headers=admin).get_json()["items"][0]
    inherited = f"/api/v1/events/{event.id}/questions/{series_question['id']}/translations"
    assert client.put(inherited, json={"translations": {}}, headers=admin).status_code == 404
    on_series = f"/api/v1/series/bsi/questions/{series_question['id']}/translations"
    answer = client.put(on_series, json={"translations": {"pl": {"label": "Twoja organizacja"}}}, headers=admin)
    assert answer.status_code == 200 and answer.get_json()["translations"]["pl"]["label"] == "Twoja organizacja"


def test_series_questions_are_added_on_the_series(client, admin, event):
    body = {"kind": "yes_no", "label": "Dinner?", "translations": {"pl": {"label": "Kolacja?"}}}
    created = client.post("/api/v1/series/bsi/questions", json=body, headers=admin)
    assert created.status_code == 201 and created.get_json()["from_series"] is True
    assert [q["label"] for q in client.get("/api/v1/series/bsi/questions", headers=admin).get_json()["items"]] == [
        "Your organisation",
        "Dinner?",
    ]
