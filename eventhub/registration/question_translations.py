"""Registration questions in other languages: a question is written in its event's (or series') language, and
may carry a translation per language eventhub speaks, which invitees reading that language see instead.

A translation gives the label, the help text and, for a choice question, one option per choice, in the same
order: option *n* translates choice *n*. Answers always store the choice as written (``questions.clean_answers``
is never shown a translated option), so the export, the API and any count of answers read the same whoever
answered in which language. Organisers always see the question as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from eventhub.errors import NotFound, ValidationFailed
from eventhub.events.models import Event, Series
from eventhub.extensions import db
from eventhub.i18n import format_names
from eventhub.registration.models import Question
from eventhub.registration.questions import (
    CHOICE_KINDS,
    MAX_CHOICE,
    MAX_HELP,
    MAX_LABEL,
    raise_version_if_reworded,
    wording,
)
from eventhub.validation import check_characters, clean_fields, clean_text, required_text, supported_languages


@dataclass(frozen=True)
class QuestionText:
    """A question as one reader sees it: ``choices`` pairs each stored choice with the text shown for it."""

    label: str
    help_text: str
    choices: list[tuple[str, str]]


def written_language(question: Question) -> str:
    """The language the question is written in: its event's (``owner_language``), or its series'."""
    return owner_language(question.event if question.event_id is not None else question.series)


def owner_language(owner: Event | Series) -> str:
    """The language organisers write an event's or a series' texts in: its own, else (an event) its series',
    else the site's default."""
    candidates = [owner.language, getattr(getattr(owner, "series", None), "language", None)]
    return next((code for code in candidates if code), current_app.config["BABEL_DEFAULT_LOCALE"])


def translatable_languages(question: Question) -> list[str]:
    """The languages a translation of ``question`` may be in: every one eventhub speaks but its own."""
    own = written_language(question)
    return [code for code in supported_languages() if code != own]


def set_translation(
    question: Question, language: str, label: str, help_text: str = "", options: list[str] | None = None
) -> Question:
    """Add or replace the ``language`` translation of ``question``. Raises ValidationFailed listing every bad
    field: an unsupported language or the question's own, an empty label, a missing help text where the question
    has one, or options that are not one distinct line per choice (none for other kinds). A new text raises
    the question's version (``questions.raise_version_if_reworded``): its readers in ``language`` read something
    new."""
    before = wording(question)
    _set_translation(question, language, label, help_text, options)
    raise_version_if_reworded(question, before)
    db.session.flush()
    return question


def _set_translation(
    question: Question, language: str, label: str, help_text: str = "", options: list[str] | None = None
) -> None:
    values = clean_fields(
        {
            "language": lambda: _clean_language(question, language),
            "label": lambda: required_text(label, "label", MAX_LABEL),
            "help_text": lambda: _clean_help(question, help_text),
            "options": lambda: _clean_options(question, options),
        }
    )
    code = values.pop("language")
    # A new dict, not a change inside the old one: the JSON column notices only a new value.
    question.translations = {**(question.translations or {}), code: values}


def remove_translation(question: Question, language: str) -> Question:
    """Remove the ``language`` translation; readers of that language see the question as written again.
    Raises NotFound when there is none. Raises the question's version: those readers read something new."""
    if language not in (question.translations or {}):
        raise NotFound(f"Question {question.id} has no translation {language!r}.")
    before = wording(question)
    question.translations = {code: text for code, text in question.translations.items() if code != language}
    raise_version_if_reworded(question, before)
    db.session.flush()
    return question


def replace_translations(question: Question, translations: dict[str, dict[str, Any]], reword: bool = True) -> Question:
    """Make ``translations`` (language → label, help_text, options) the question's only ones, all or nothing.
    Raises ValidationFailed with every bad field, named ``translations.<language>.<field>``. Any change raises
    the question's version once, unless ``reword`` is False (the translations come with a new question, which
    nobody has read yet)."""
    errors: dict[str, str] = {}
    before = wording(question)
    question.translations = {}
    for code, text in translations.items():
        try:
            _set_translation(question, code, text.get("label"), text.get("help_text") or "", text.get("options"))
        except ValidationFailed as exc:
            errors.update({f"translations.{code}.{name}": problem for name, problem in exc.fields.items()})
    if errors:
        raise ValidationFailed("Some translations are not valid.", errors)
    if reword:
        raise_version_if_reworded(question, before)
    db.session.flush()
    return question


def _clean_language(question: Question, language: Any) -> str:
    code = language.strip().lower() if isinstance(language, str) else language
    if code not in supported_languages():
        raise ValidationFailed("Unsupported language.", {"language": "one of " + ", ".join(supported_languages())})
    if code == written_language(question):
        raise ValidationFailed(
            "The question's own language.", {"language": "the question is written in this language already"}
        )
    return code


def _clean_help(question: Question, help_text: Any) -> str:
    """A question with a help text needs it translated: a translated label over help in another language
    would leave the reader half understanding."""
    return clean_text(help_text, "help_text", MAX_HELP, required=bool(question.help_text))


def _clean_options(question: Question, options: list[str] | None) -> list[str]:
    cleaned = [option.strip() for option in (options or []) if isinstance(option, str) and option.strip()]
    if question.kind not in CHOICE_KINDS:
        if cleaned:
            raise ValidationFailed("No options here.", {"options": "only choice questions have options"})
        return []
    count = len(question.choices)
    if len(cleaned) != count:
        raise ValidationFailed(
            "Wrong number of options.",
            {"options": f"{count} options, one per line in the order of the choices (given: {len(cleaned)})"},
        )
    if any(len(option) > MAX_CHOICE for option in cleaned) or len(set(cleaned)) != len(cleaned):
        raise ValidationFailed("Bad options.", {"options": f"distinct options of at most {MAX_CHOICE} characters"})
    for option in cleaned:
        check_characters(option, "options")
    return cleaned


def own_translation(question: Question, language: str) -> dict[str, Any]:
    """The stored ``language`` translation of ``question``; raises NotFound when there is none."""
    translation = (question.translations or {}).get(language)
    if translation is None:
        raise NotFound(f"Question {question.id} has no translation {language!r}.")
    return translation


def question_text(question: Question, language: str) -> QuestionText:
    """``question`` for a reader of ``language``: its translation into that language if it has one, else as
    written."""
    translation = (question.translations or {}).get(language)
    if translation is None or language == written_language(question):
        return QuestionText(question.label, question.help_text or "", [(c, c) for c in question.choices])
    options = translation.get("options") or []
    shown = options if len(options) == len(question.choices) else question.choices
    return QuestionText(
        translation["label"], translation.get("help_text") or "", list(zip(question.choices, shown, strict=True))
    )


def shown_answer(question: Question, answers: dict[str, Any], language: str) -> str:
    """An answer as its reader sees it in ``language``: a choice by its translated option, yes and no in that
    language ("" when not answered)."""
    value = (answers or {}).get(str(question.id))
    if value is None:
        return ""
    if isinstance(value, bool):
        with force_locale(language):
            return _("Yes") if value else _("No")
    shown = dict(question_text(question, language).choices)
    if isinstance(value, list):
        return format_names([shown.get(choice, choice) for choice in value], language)
    return shown.get(value, str(value)) if isinstance(value, str) else str(value)
