"""Registration questions in other languages: the rules of a translation, what each reader sees, and that answers
keep the choice as written whoever answered in which language."""

from __future__ import annotations

import pytest

from eventhub.errors import NotFound, ValidationFailed
from eventhub.extensions import db
from eventhub.registration.export import registrations_csv
from eventhub.registration.question_translations import (
    question_text,
    remove_translation,
    replace_translations,
    set_translation,
    shown_answer,
    translatable_languages,
    written_language,
)
from eventhub.registration.questions import add_question, answer_text

ROLES = ["Veřejný zadavatel", "Sociální podnik", "Jiné"]
ROLES_EN = ["Public buyer", "Social enterprise", "Other"]


@pytest.fixture
def czech(conference):
    """The Prague conference, written in Czech, asking one choice question."""
    event = conference(language="cs")
    question = add_question(event, "single_choice", "Účastníte se jako", True, ROLES, help_text="Vyberte jednu")
    return event, question


def test_a_translation_gives_label_help_and_options_while_choices_stay_as_written(czech):
    _, question = czech

    set_translation(question, "en", "You take part as", "Choose one", ROLES_EN)

    text = question_text(question, "en")
    assert (text.label, text.help_text) == ("You take part as", "Choose one")
    assert text.choices == list(zip(ROLES, ROLES_EN, strict=True))  # the stored value first, the shown text second
    assert question.choices == ROLES


def test_readers_without_a_translation_and_readers_of_the_questions_language_see_it_as_written(czech):
    event, question = czech
    set_translation(question, "en", "You take part as", "Choose one", ROLES_EN)

    assert question_text(question, "de").label == "Účastníte se jako"
    assert question_text(question, "cs").choices == list(zip(ROLES, ROLES, strict=True))
    event.language = "en"  # the organisers now write in English: the stored "en" translation is no longer used
    assert question_text(question, "en").label == "Účastníte se jako"


def test_every_bad_field_of_a_translation_is_reported_at_once(czech):
    _, question = czech

    with pytest.raises(ValidationFailed) as refused:
        set_translation(question, "cs", " ", "", ["Public buyer", "Other"])

    assert set(refused.value.fields) == {"language", "label", "help_text", "options"}
    assert "already" in refused.value.fields["language"]
    assert refused.value.fields["options"].startswith("3 options")
    assert question.translations == {}


@pytest.mark.parametrize(
    ("language", "options", "field"),
    [
        ("pt", ROLES_EN, "language"),  # not a language eventhub speaks
        ("xx", ROLES_EN, "language"),
        ("en", ["Public buyer", "Public buyer", "Other"], "options"),  # two choices would read the same
        ("en", [*ROLES_EN, "Fourth"], "options"),
    ],
)
def test_a_translation_needs_a_supported_language_and_one_distinct_option_per_choice(czech, language, options, field):
    _, question = czech
    with pytest.raises(ValidationFailed) as refused:
        set_translation(question, language, "You take part as", "Choose one", options)
    assert list(refused.value.fields) == [field]


def test_text_questions_take_no_options_and_need_no_help_when_they_have_none(conference):
    question = add_question(conference(language="cs"), "short_text", "Dietní omezení")

    with pytest.raises(ValidationFailed) as refused:
        set_translation(question, "en", "Dietary needs", "", ["Vegetarian"])
    assert list(refused.value.fields) == ["options"]

    set_translation(question, "en", "Dietary needs")
    assert question.translations == {"en": {"label": "Dietary needs", "help_text": "", "options": []}}


def test_setting_a_language_again_replaces_it_and_removing_it_brings_back_the_original(czech):
    _, question = czech
    set_translation(question, "en", "You take part as", "Choose one", ROLES_EN)
    set_translation(question, "en", "Your role", "Pick one", ROLES_EN)
    set_translation(
        question, "de", "Sie nehmen teil als", "Eine wählen", ["Auftraggeber", "Sozialunternehmen", "Andere"]
    )
    db.session.flush()
    db.session.expire(question)  # read back from the database: a new value, not a change inside the old dict

    assert question.translations["en"]["label"] == "Your role" and set(question.translations) == {"en", "de"}
    remove_translation(question, "en")
    assert question_text(question, "en").label == "Účastníte se jako" and set(question.translations) == {"de"}
    with pytest.raises(NotFound):
        remove_translation(question, "en")


def test_replacing_all_translations_names_each_bad_field_by_language(czech):
    _, question = czech
    set_translation(
        question, "de", "Sie nehmen teil als", "Eine wählen", ["Auftraggeber", "Sozialunternehmen", "Andere"]
    )

    with pytest.raises(ValidationFailed) as refused:
        replace_translations(question, {"en": {"label": "You take part as", "help_text": "x", "options": ["One"]}})
    assert list(refused.value.fields) == ["translations.en.options"]

    replace_translations(question, {"en": {"label": "You take part as", "help_text": "Choose", "options": ROLES_EN}})
    assert set(question.translations) == {"en"}


def test_a_question_is_written_in_its_events_language_else_its_series_else_english(make_series, make_event):
    series = make_series()
    event = make_event(series=series.slug)
    own, inherited = add_question(event, "short_text", "Q1"), add_question(series, "short_text", "Q2")
    assert (written_language(own), written_language(inherited)) == ("en", "en")

    series.language = "pl"
    assert (written_language(own), written_language(inherited)) == ("pl", "pl")
    event.language = "el"
    assert (written_language(own), written_language(inherited)) == ("el", "pl")
    assert "el" not in translatable_languages(own) and "en" in translatable_languages(own)
    assert len(translatable_languages(own)) == 16


def test_answers_are_shown_in_the_readers_language_and_exported_as_written(czech, make_person, now):
    from eventhub.registration.services import register

    event, question = czech
    yes_no = add_question(event, "yes_no", "Přijdete na večeři?")
    set_translation(question, "en", "You take part as", "Choose one", ROLES_EN)
    set_translation(question, "da", "Du deltager som", "Vælg én", ["Offentlig indkøber", "Socialøkonomisk", "Andet"])
    registration = register(event, make_person(), now)
    registration.answers = {str(question.id): "Sociální podnik", str(yes_no.id): True}

    assert shown_answer(question, registration.answers, "en") == "Social enterprise"
    assert shown_answer(yes_no, registration.answers, "da") == "Ja"
    assert shown_answer(question, registration.answers, "de") == "Sociální podnik"
    assert answer_text(question, registration.answers) == "Sociální podnik"  # organisers read it as written
    assert "Sociální podnik" in registrations_csv(event) and "Social enterprise" not in registrations_csv(event)


def test_multiple_choice_answers_are_shown_option_by_option(conference, make_person, now):
    from eventhub.registration.services import register

    event = conference(language="pl")
    question = add_question(event, "multiple_choice", "Tematy", False, ["Budownictwo", "Catering", "Zdrowie"])
    set_translation(question, "en", "Topics", "", ["Construction", "Catering", "Health"])
    registration = register(event, make_person(), now)
    registration.answers = {str(question.id): ["Budownictwo", "Zdrowie"]}

    assert shown_answer(question, registration.answers, "en") == "Construction; Health"
