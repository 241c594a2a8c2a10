"""Registration questions (per event, or per series and inherited by its events) and the answers to them.

Kept apart from ``services`` because both the registration form and the export read questions, and the rules
for a valid answer belong next to the question kinds they depend on.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from eventhub.errors import NotFound, ValidationFailed
from eventhub.events.models import Event, Series
from eventhub.extensions import db
from eventhub.i18n import format_names
from eventhub.registration.models import Question, QuestionKind
from eventhub.texts import lazy_text as _l
from eventhub.validation import (
    check_characters,
    clean_fields,
    clean_text,
    enum_value,
    has_forbidden_characters,
    required_text,
)

MAX_LABEL = 500
MAX_HELP = 1000
MAX_CHOICES = 30
MAX_CHOICE = 200
MAX_SHORT_ANSWER = 300
MAX_LONG_ANSWER = 5000
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
REQUIRED = _l("required")
NOT_A_CHOICE = _l("not one of the choices")


def add_question(
    target: Event | Series,
    kind: str | QuestionKind,
    label: str,
    required: bool = False,
    choices: list[str] | None = None,
    help_text: str = "",
    delete_answers_after_event: bool = False,
) -> Question:
    """Add a question at the end of ``target``'s questions. ``delete_answers_after_event``: its answers are deleted
    as soon as the event has ended (``registration.answer_deletion``). Raises ValidationFailed listing every bad
    field."""
    values = _clean_question(kind, label, help_text, choices)
    owner = {"event_id": target.id} if isinstance(target, Event) else {"series_id": target.id}
    question = Question(
        kind=values["kind"],
        label=values["label"],
        help_text=values["help_text"],
        required=bool(required) or False,
        choices=values["choices"] if values["kind"] in CHOICE_KINDS else [],
        delete_answers_after_event=bool(delete_answers_after_event),
        position=_next_position(owner),
        **owner,
    )
    db.session.add(question)
    db.session.flush()
    return question


def edit_question(
    question_id: int,
    target: Event | Series,
    label: str,
    help_text: str = "",
    choices: list[str] | None = None,
    required: bool = False,
) -> Question:
    """Change the wording of one of ``target``'s own questions and whether it is required; its kind stays (the
    answers given must keep their meaning). A new wording raises the question's version, so consents given
    earlier keep naming the wording they were given under. Raises NotFound for a question of anything else,
    ValidationFailed listing every bad field."""
    question = own_question(question_id, target)
    values = _clean_question(question.kind, label, help_text, choices)
    before = wording(question)
    question.label, question.help_text = values["label"], values["help_text"]
    question.choices = values["choices"] if question.kind in CHOICE_KINDS else []
    question.required = bool(required)
    raise_version_if_reworded(question, before)
    db.session.flush()
    return question


Wording = tuple[str, str, tuple[str, ...], str]


def wording(question: Question) -> Wording:
    """What the readers of ``question`` read, in every language: label, help text, choices and the translations
    (as canonical JSON). Take it before a change, to compare after."""
    translations = json.dumps(question.translations or {}, sort_keys=True, ensure_ascii=False)
    return question.label, question.help_text or "", tuple(question.choices or ()), translations


def raise_version_if_reworded(question: Question, before: Wording) -> bool:
    """Raise ``question.version`` if its wording differs from ``before`` (``wording`` taken before the change):
    consents record the version they were given under, so a new text must never share a version with the old
    one. Returns whether it was raised."""
    if wording(question) == before:
        return False
    question.version = (question.version or 1) + 1
    return True


def _clean_question(kind: str | QuestionKind, label: str, help_text: str, choices: list[str] | None) -> dict[str, Any]:
    """The checked kind, label, help text and choices; raises ValidationFailed listing every bad field."""
    # Labels, help texts and choices are one line each on the form and in the export.
    return clean_fields(
        {
            "kind": lambda: enum_value(QuestionKind, kind, "kind"),
            "label": lambda: required_text(label, "label", MAX_LABEL),
            "help_text": lambda: clean_text(help_text, "help_text", MAX_HELP, required=False),
            "choices": lambda: _clean_choices(choices, kind in CHOICE_KINDS),
        }
    )


def _clean_choices(choices: list[str] | None, needs_choices: bool) -> list[str]:
    """Non-empty distinct single-line choices; a choice question needs from 2 to MAX_CHOICES of them."""
    cleaned = [choice.strip() for choice in (choices or []) if choice and choice.strip()]
    if needs_choices and not 2 <= len(cleaned) <= MAX_CHOICES:
        raise ValidationFailed(
            _l("Wrong number of choices."), {"choices": _l("from 2 to %(count)d choices", count=MAX_CHOICES)}
        )
    if any(len(choice) > MAX_CHOICE for choice in cleaned) or len(set(cleaned)) != len(cleaned):
        raise ValidationFailed(
            _l("Bad choices."),
            {"choices": _l("distinct choices of at most %(count)d characters", count=MAX_CHOICE)},
        )
    for choice in cleaned:
        check_characters(choice, "choices")
    return cleaned


def _next_position(owner: dict[str, int]) -> int:
    column, value = next(iter(owner.items()))
    highest = db.session.scalar(sa.select(sa.func.max(Question.position)).where(getattr(Question, column) == value))
    return (highest or 0) + 1


def delete_question(question_id: int, target: Event | Series) -> None:
    """Remove one of ``target``'s own questions (an event's, or a series'); answers already given stay with their
    registrations. Raises NotFound for a question of anything else."""
    question = own_question(question_id, target)
    db.session.delete(question)
    db.session.flush()


def own_question(question_id: int, target: Event | Series) -> Question:
    """``target``'s own question ``question_id`` (not one it inherits); raises NotFound otherwise."""
    question = db.session.get(Question, question_id)
    owner = question and (question.event_id if isinstance(target, Event) else question.series_id)
    if question is None or owner != target.id:
        raise NotFound(_l("No question %(id)d here.", id=question_id))
    return question


def series_questions(series: Series) -> list[Question]:
    """The questions every event of ``series`` asks, in their order."""
    query = sa.select(Question).where(Question.series_id == series.id).order_by(Question.position, Question.id)
    return list(db.session.scalars(query))


def questions_for(event: Event) -> list[Question]:
    """The series' questions first (they are the common part), then the event's own, each in their order."""
    owners = [Question.event_id == event.id]
    if event.series_id is not None:
        owners.append(Question.series_id == event.series_id)
    query = (
        sa.select(Question)
        .where(sa.or_(*owners))
        .order_by(Question.event_id.is_not(None), Question.position, Question.id)
    )
    return list(db.session.scalars(query))


def clean_answers(questions: list[Question], raw: dict[str, Any]) -> dict[str, Any]:
    """The answers keyed by question id (as a string), checked against each question.

    ``raw`` is keyed by ``Question.field_name``. Raises ValidationFailed with an error per bad field; unknown
    keys are ignored (a question deleted while the form was open).
    """
    answers: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for question in questions:
        try:
            value = _clean_answer(question, raw.get(question.field_name))
        except ValueError as exc:
            errors[question.field_name] = exc.args[0]  # a lazy string: the page's language, or the API's English
            continue
        if value is not None:
            answers[str(question.id)] = value
    if errors:
        raise ValidationFailed(_l("Some answers are not valid."), errors)
    return answers


def _clean_answer(question: Question, value: Any) -> Any:
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return _text_answer(question, value)
    if kind == QuestionKind.SINGLE_CHOICE:
        return _single_choice(question, value)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return _multiple_choice(question, value)
    if kind == QuestionKind.YES_NO:
        if value in (None, ""):
            return _missing(question)
        if value not in (True, False, "yes", "no"):
            raise ValueError(_l("yes or no"))
        return value in (True, "yes")
    # consent: a required consent must be given; an optional one is recorded either way
    given = value in (True, "y", "yes", "on", "true")
    if question.required and not given:
        raise ValueError(REQUIRED)
    return given


def _missing(question: Question) -> None:
    if question.required:
        raise ValueError(REQUIRED)
    return None


def _text_answer(question: Question, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(_l("text expected"))
    text = (value or "").strip()
    if not text:
        return _missing(question)
    limit = MAX_SHORT_ANSWER if question.kind == QuestionKind.SHORT_TEXT else MAX_LONG_ANSWER
    if len(text) > limit:
        raise ValueError(_l("at most %(count)d characters", count=limit))
    if "\x00" in text:
        raise ValueError(_l("must not contain NUL characters"))
    if has_forbidden_characters(text, multiline=question.kind == QuestionKind.LONG_TEXT):
        raise ValueError(_l("must not contain control characters"))
    return text


def _single_choice(question: Question, value: Any) -> str | None:
    if value in (None, ""):
        return _missing(question)
    if value not in question.choices:
        raise ValueError(NOT_A_CHOICE)
    return value


def _multiple_choice(question: Question, value: Any) -> list[str] | None:
    values = [v for v in (value or []) if v]
    if not values:
        return _missing(question)
    if any(v not in question.choices for v in values):
        raise ValueError(NOT_A_CHOICE)
    return [choice for choice in question.choices if choice in values]


def answer_text(question: Question, answers: dict[str, Any], locale: str | None = None) -> str:
    """An answer as one line of text ("" when not answered), yes/no in the reader's language. Several choices are
    a list in ``locale``'s words for pages ("Lunch, Dinner and Excursion"), and ";"-separated for the CSV export
    (no ``locale``), where a program splits them."""
    value = (answers or {}).get(str(question.id))
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return format_names(value, locale) if locale else "; ".join(value)
    return str(value)
