"""Question translations through the pages: invitees read the questions in their page's language and answer with
the choice as written; the confirmation email's answers are in the reader's language; organisers see the original
and add, edit and remove translations on the event's and the series' questions pages."""

from __future__ import annotations

import re

import pytest

from eventhub.extensions import db
from eventhub.registration.models import Registration
from eventhub.registration.question_translations import set_translation
from eventhub.registration.questions import add_question
from tests.conftest import csrf_token_from
from tests.registration.conftest import last_email

ROLES = ["Veřejný zadavatel", "Sociální podnik", "Jiné"]
ROLES_EN = ["Public buyer", "Social enterprise", "Other"]


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def event(conference):
    """The Prague conference written in Czech; its choice question has an English and a Danish translation."""
    event = conference(language="cs")
    question = add_question(event, "single_choice", "Účastníte se jako", True, ROLES, help_text="Vyberte jednu")
    set_translation(question, "en", "You take part as", "Choose one", ROLES_EN)
    set_translation(question, "da", "Du deltager som", "Vælg én", ["Offentlig indkøber", "Socialøkonomisk", "Andet"])
    db.session.commit()
    return event


def _question(event):
    from eventhub.registration.questions import questions_for

    return questions_for(event)[0]


def test_the_invitation_page_asks_in_the_pages_language_and_stores_the_choice_as_written(client, event, invite):
    _, token = invite(event)
    db.session.commit()
    question = _question(event)

    page = text(client.get(f"/invitations/{token}?lang=en"))
    assert "You take part as" in page and "Choose one" in page and "Social enterprise" in page
    assert "Účastníte se jako" not in page and 'value="Sociální podnik"' in page

    data = {"csrf_token": csrf_token_from(page), "name": "Anna", question.field_name: "Sociální podnik"}
    response = client.post(f"/invitations/{token}", data=data)
    assert response.status_code == 302
    assert db.session.scalar(db.select(Registration.answers)) == {str(question.id): "Sociální podnik"}
    manage = text(client.get(response.headers["Location"]))
    assert "You take part as" in manage and "Social enterprise" in manage


def test_a_page_in_a_language_without_a_translation_shows_the_question_as_written(client, event, invite):
    _, token = invite(event)
    db.session.commit()
    page = text(client.get(f"/invitations/{token}?lang=de"))
    assert "Účastníte se jako" in page and "Sociální podnik" in page and "You take part as" not in page


def test_the_confirmation_lists_the_answers_in_the_readers_language(event, invite, now):
    from eventhub.registration.services import register_invitee

    invitation, _ = invite(event, "mette@example.org", "Mette", language="da")
    register_invitee(invitation, "Mette", None, {_question(event).field_name: "Sociální podnik"}, now)

    email = last_email("registration_confirmed", "mette@example.org")
    assert "Du deltager som: Socialøkonomisk" in email.body_text
    assert "Du deltager som: Socialøkonomisk" in email.body_html
    assert "Sociální podnik" not in email.body_text


def test_a_reader_of_the_events_language_gets_the_answers_as_written(event, invite, now):
    from eventhub.registration.services import register_invitee

    invitation, _ = invite(event, "jana@example.org", "Jana", language="cs")
    register_invitee(invitation, "Jana", None, {_question(event).field_name: "Jiné"}, now)
    assert "Účastníte se jako: Jiné" in last_email("registration_confirmed", "jana@example.org").body_text


@pytest.fixture
def organiser(event, make_organiser, login):
    user = make_organiser(event)
    db.session.commit()
    login(user)
    return user


def test_organisers_see_the_question_as_written_with_its_translations_and_an_add_form(client, event, organiser):
    question = _question(event)
    page = text(client.get(f"/events/{event.id}/manage/questions"))

    assert "<strong>Účastníte se jako</strong>" in page
    assert "Written in Čeština" in page and '<span lang="en">You take part as</span>' in page
    offered = re.findall(rf'<select[^>]*id="q{question.id}-language".*?</select>', page, re.S)[0]
    assert 'value="de"' in offered and 'value="cs"' not in offered and 'value="en"' not in offered
    assert f'/questions/{question.id}/translations/da/remove"' in page


def _add(client, event, question, **fields):
    page = text(client.get(f"/events/{event.id}/manage/questions"))
    prefix = f"q{question.id}-"
    data = {prefix + "csrf_token": csrf_token_from(page), **{prefix + name: value for name, value in fields.items()}}
    return client.post(f"/events/{event.id}/manage/questions/{question.id}/translations", data=data)


def test_adding_a_translation_from_the_questions_page(client, event, organiser):
    question = _question(event)
    options = "Öffentlicher Auftraggeber\nSozialunternehmen\nAndere"
    response = _add(
        client, event, question, language="de", label="Sie nehmen teil als", help_text="Eine", options=options
    )

    assert response.status_code == 302 and response.headers["Location"].endswith(f"#question-{question.id}")
    db.session.expire_all()
    assert question.translations["de"]["options"] == ["Öffentlicher Auftraggeber", "Sozialunternehmen", "Andere"]


def test_a_refused_translation_is_shown_again_with_what_is_wrong(client, event, organiser):
    question = _question(event)
    response = _add(client, event, question, language="de", label="Sie nehmen teil als", help_text="", options="Eins")

    page = text(response)
    assert response.status_code == 422 and "3 options" in page and "required" in page
    assert 'value="Sie nehmen teil als"' in page and "Veřejný zadavatel" in page  # the original, to translate from
    db.session.expire_all()
    assert "de" not in question.translations


def test_editing_a_translation_starts_from_what_is_stored(client, event, organiser):
    question = _question(event)
    path = f"/events/{event.id}/manage/questions/{question.id}/translations/en"
    page = text(client.get(path))
    assert 'value="You take part as"' in page and "Public buyer\nSocial enterprise\nOther</textarea>" in page
    assert 'id="label" lang="en"' in page

    data = {"csrf_token": csrf_token_from(page), "label": "Your role", "help_text": "Pick one", "options": "A\nB\nC"}
    assert client.post(path, data=data).status_code == 302
    db.session.expire_all()
    assert question.translations["en"] == {"label": "Your role", "help_text": "Pick one", "options": ["A", "B", "C"]}


def test_removing_a_translation_asks_first(client, event, organiser):
    question = _question(event)
    path = f"/events/{event.id}/manage/questions/{question.id}/translations/da/remove"
    page = text(client.get(path))
    assert "Remove the Dansk translation of “Účastníte se jako”?" in page
    db.session.expire_all()
    assert "da" in question.translations

    assert client.post(path, data={"csrf_token": csrf_token_from(page)}).status_code == 302
    db.session.expire_all()
    assert set(question.translations) == {"en"}


def test_unknown_translations_and_other_events_questions_are_404(client, event, organiser, conference):
    question = _question(event)
    other = conference()
    other_question = add_question(other, "short_text", "Elsewhere")
    db.session.commit()
    base = f"/events/{event.id}/manage/questions"
    assert client.get(f"{base}/{question.id}/translations/pl").status_code == 404
    assert client.get(f"{base}/{question.id}/translations/pl/remove").status_code == 404
    assert client.get(f"{base}/{other_question.id}/translations/en").status_code == 404


def test_a_series_question_is_translated_on_the_series_page_and_only_listed_on_its_events(
    client, make_series, make_event, make_organiser, login
):
    series = make_series(slug="bsi")
    series.language = "pl"
    event = make_event(series="bsi")
    question = add_question(series, "short_text", "Nazwa organizacji")
    login(make_organiser(series))
    db.session.commit()

    page = text(client.get("/series/bsi/manage/questions"))
    data = {
        f"q{question.id}-csrf_token": csrf_token_from(page),
        f"q{question.id}-language": "en",
        f"q{question.id}-label": "Name of your organisation",
    }
    response = client.post(f"/series/bsi/manage/questions/{question.id}/translations", data=data)
    assert response.status_code == 302

    event_page = text(client.get(f"/events/{event.id}/manage/questions"))
    assert "Name of your organisation" in event_page
    assert (
        f"/questions/{question.id}/translations/en" not in event_page
        and f'id="q{question.id}-language"' not in event_page
    )
    remove = f"/series/bsi/manage/questions/{question.id}/translations/en/remove"
    confirm = text(client.get(remove))
    assert client.post(remove, data={"csrf_token": csrf_token_from(confirm)}).status_code == 302
    db.session.expire_all()
    assert question.translations == {}


def test_forms_say_to_write_descriptions_and_questions_in_the_events_language(client, event, organiser):
    """Organisers write descriptions and questions in the event's (or series') language; the hints say so, tied to
    the field for screen readers."""
    event_form = text(client.get(f"/events/{event.id}/manage/edit"))
    assert 'aria-describedby="description-help"' in event_form
    assert "Write it in the event&#39;s language" in event_form

    questions_page = text(client.get(f"/events/{event.id}/manage/questions"))
    assert "Write it in Čeština, the language of the event or series" in questions_page


def test_the_series_form_says_to_write_the_description_in_the_series_language(
    client, make_series, make_organiser, login
):
    series = make_series(slug="bsi")
    login(make_organiser(series))
    db.session.commit()
    page = text(client.get("/series/bsi/manage"))
    assert 'aria-describedby="description-help"' in page and "Write it in the series&#39; language" in page
