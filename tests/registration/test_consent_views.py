"""Consent on record through the pages and the API: the form shows a consent box's help text and records what it
showed in the page's language, unticking on the self-service page withdraws, organisers reword a question (event
or series) into a new version, and the organiser's list and the API show the consents."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import ConsentRecord
from eventhub.registration.question_translations import set_translation
from eventhub.registration.questions import add_question
from eventhub.registration.services import change_answers, register_invitee
from tests.conftest import csrf_token_from
from tests.registration.conftest import last_email, token_from

LABEL_DA = "Jeg giver samtykke til, at mit navn og min organisation deles med de øvrige deltagere"
HELP_DA = "Kun til denne konference; du kan trække samtykket tilbage på din tilmeldingsside."


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def event(conference):
    return conference()


@pytest.fixture
def consent(event):
    question = add_question(event, "consent", LABEL_DA, help_text=HELP_DA)
    db.session.commit()
    return question


def _records() -> list[ConsentRecord]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ConsentRecord).order_by(ConsentRecord.id)))


def test_the_form_shows_the_help_text_and_records_exactly_what_it_showed_in_the_pages_language(
    client, event, consent, invite, now
):
    _, token = invite(event)
    db.session.commit()
    page = text(client.get(f"/invitations/{token}?lang=da"))
    field = consent.field_name
    assert f'aria-describedby="{field}-help"' in page and f'<p class="help" id="{field}-help">{HELP_DA}</p>' in page
    data = {"csrf_token": csrf_token_from(page), "name": "Anna Novák", field: "y"}
    assert client.post(f"/invitations/{token}", data=data).status_code == 302
    [record] = _records()
    assert (record.label, record.help_text, record.language) == (LABEL_DA, HELP_DA, "da")
    assert (record.question_version, record.given_at, record.withdrawn_at) == (1, now, None)


def test_a_translated_consent_is_recorded_in_the_translation_its_reader_saw(client, conference, invite, now):
    event = conference(language="en")
    question = add_question(event, "consent", "I agree that my name is on the participant list", help_text="Only here.")
    set_translation(question, "da", "Jeg accepterer, at mit navn står på deltagerlisten", "Kun her.")
    _, token = invite(event, language="da")
    db.session.commit()
    page = text(client.get(f"/invitations/{token}"))
    assert "Jeg accepterer, at mit navn står på deltagerlisten" in page
    data = {"csrf_token": csrf_token_from(page), "name": "Mette", question.field_name: "y"}
    assert client.post(f"/invitations/{token}", data=data).status_code == 302
    [record] = _records()
    assert (record.label, record.help_text, record.language) == (
        "Jeg accepterer, at mit navn står på deltagerlisten",
        "Kun her.",
        "da",
    )
    assert record.question_version == 2  # the translation was a new wording for its readers


def test_unticking_on_the_self_service_page_records_the_withdrawal(client, event, consent, invite, now, frozen_clock):
    invitation, _ = invite(event)
    register_invitee(invitation, "Anna", None, {consent.field_name: True}, now)
    db.session.commit()
    manage = token_from(last_email("registration_confirmed"), "registrations")
    page = text(client.get(f"/registrations/{manage}"))
    field = consent.field_name
    assert f'<input aria-describedby="{field}-help" checked id="{field}" name="{field}" type="checkbox"' in page
    frozen_clock.advance(timedelta(days=3))
    response = client.post(f"/registrations/{manage}", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    [record] = _records()
    assert (record.given_at, record.withdrawn_at) == (now, now + timedelta(days=3))


def _edit(client, path: str, **fields):
    page = client.get(path)
    assert page.status_code == 200, text(page)
    return page, client.post(path, data={"csrf_token": csrf_token_from(text(page)), **fields})


def test_organisers_reword_an_events_consent_question_into_a_new_version(
    client, event, consent, invite, now, login, make_organiser
):
    register_invitee(invite(event)[0], "Anna", None, {consent.field_name: True}, now)
    login(make_organiser(event))
    db.session.commit()
    path = f"/events/{event.id}/manage/questions/{consent.id}/edit"
    page, response = _edit(client, path, label=LABEL_DA + " og værterne", help_text=HELP_DA)
    assert 'id="consent-version-notice"' in text(page) and 'value="Kun til denne konference' in text(page)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/events/{event.id}/manage/questions")
    db.session.expire_all()
    assert (consent.label, consent.version) == (LABEL_DA + " og værterne", 2)
    assert [(r.question_version, r.label) for r in _records()] == [(1, LABEL_DA)]
    assert "version 2" in text(client.get(f"/events/{event.id}/manage/questions"))
    empty = client.post(path, data={"csrf_token": csrf_token_from(text(page)), "label": ""})
    assert empty.status_code == 422


def test_organisers_reword_a_series_question_and_the_event_route_does_not_reach_it(
    client, conference, make_series, login, make_organiser
):
    series = make_series()
    event = conference(series=series.slug)
    question = add_question(series, "consent", "Photos may show me")
    login(make_organiser(series))
    db.session.commit()
    _, response = _edit(
        client, f"/series/{series.slug}/manage/questions/{question.id}/edit", label="Photos and video may show me"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (question.label, question.version) == ("Photos and video may show me", 2)
    assert client.get(f"/events/{event.id}/manage/questions/{question.id}/edit").status_code == 404
    assert client.get(f"/series/{series.slug}/manage/questions/999999/edit").status_code == 404


def test_the_organisers_list_shows_the_consent_on_record_in_their_language(
    client, event, consent, invite, now, login, make_organiser
):
    register_invitee(invite(event, "given@example.org")[0], "Given", None, {consent.field_name: True}, now)
    withdrawn = register_invitee(invite(event, "gone@example.org")[0], "Gone", None, {consent.field_name: True}, now)
    change_answers(withdrawn.registration, {consent.field_name: False}, now + timedelta(days=1))
    login(make_organiser(event))
    db.session.commit()
    page = text(client.get(f"/events/{event.id}/manage/registrations?lang=da"))
    # 23 November 2026 12:00 UTC is 13:00 in Prague, the event's zone
    assert "givet 23. nov. 2026 13.00 (version 1)" in page
    assert "trukket tilbage 24. nov. 2026 13.00 (version 1)" in page


def test_the_api_lists_each_registrations_consents(client, admin, event, consent, invite, now, assert_schema):
    invitation, _ = invite(event)
    registration = register_invitee(invitation, "Anna", None, {consent.field_name: True}, now).registration
    change_answers(registration, {consent.field_name: False}, now + timedelta(hours=5))
    change_answers(registration, {consent.field_name: True}, now + timedelta(hours=6))
    db.session.commit()
    body = client.get(f"/api/v1/events/{event.id}/registrations", headers=admin).get_json()
    assert_schema(body, "RegistrationList")
    [item] = body["items"]
    assert item["consents"] == [
        {
            "question_id": consent.id,
            "version": 1,
            "text": LABEL_DA,
            "help_text": HELP_DA,
            "language": "en",
            "given_at": "2026-11-23T12:00:00+00:00",
            "withdrawn_at": "2026-11-23T17:00:00+00:00",
        },
        {
            "question_id": consent.id,
            "version": 1,
            "text": LABEL_DA,
            "help_text": HELP_DA,
            "language": "en",
            "given_at": "2026-11-23T18:00:00+00:00",
            "withdrawn_at": None,
        },
    ]


def test_the_question_api_shows_the_version_a_new_question_starts_at_one_and_new_translations_raise_it(
    client, admin, event, assert_schema
):
    body = {"kind": "consent", "label": "Photos may show me", "translations": {"da": {"label": "Fotos må vise mig"}}}
    created = client.post(f"/api/v1/events/{event.id}/questions", json=body, headers=admin)
    assert created.status_code == 201 and created.get_json()["version"] == 1
    assert_schema(created.get_json(), "Question")
    path = f"/api/v1/events/{event.id}/questions/{created.get_json()['id']}/translations"
    same = client.put(path, json={"translations": body["translations"]}, headers=admin).get_json()
    changed = client.put(path, json={"translations": {"da": {"label": "Billeder må vise mig"}}}, headers=admin)
    assert same["version"] == 1 and changed.get_json()["version"] == 2
