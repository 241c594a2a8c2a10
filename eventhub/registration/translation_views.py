"""The organiser's pages for the translations of a registration question, shared by an event's and a series'
questions pages (``registration.manage_views``, ``registration.series_question_views``), whose routes load and
authorise the question and say where it lives (``QuestionPlace``); the rules are in
``registration.question_translations``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from eventhub.errors import ValidationFailed
from eventhub.events.forms_settings import language_name
from eventhub.extensions import db
from eventhub.registration.forms import AddTranslationForm, TranslationForm
from eventhub.registration.models import Question
from eventhub.registration.question_translations import (
    own_translation,
    remove_translation,
    set_translation,
    translatable_languages,
    written_language,
)
from eventhub.registration.questions import CHOICE_KINDS
from eventhub.web import ConfirmForm, apply_domain_error


@dataclass(frozen=True)
class QuestionPlace:
    """Where a question's translation pages hang: the blueprint (``endpoint``), its path values (``args``) and
    the questions page they return to, with the event's or series' title for the pages' headings."""

    endpoint: str
    args: dict[str, Any]
    back_endpoint: str
    title: str

    def url(self, name: str, **values: Any) -> str:
        return url_for(f"{self.endpoint}.{name}", **self.args, **values)

    def back(self, question: Question | None = None) -> str:
        anchor = f"question-{question.id}" if question is not None else None
        return url_for(f"{self.endpoint}.{self.back_endpoint}", **self.args, _anchor=anchor)


@dataclass(frozen=True)
class TranslationRow:
    language: str
    name: str
    label: str
    edit_url: str
    remove_url: str


@dataclass
class TranslationsPart:
    """What a questions page shows under one question: its translations and, for a question the page may
    change, links to edit or remove each and a form to add one."""

    language_name: str
    rows: list[TranslationRow]
    add_form: AddTranslationForm | None = None
    add_url: str = ""
    has_options: bool = False


def translations_part(question: Question, place: QuestionPlace, editable: bool) -> TranslationsPart:
    """The translations part of ``question`` (links and the add form only when ``editable``)."""
    rows = [
        TranslationRow(
            code,
            language_name(code),
            text["label"],
            place.url("edit_translation", question_id=question.id, language=code) if editable else "",
            place.url("remove_translation", question_id=question.id, language=code) if editable else "",
        )
        for code, text in sorted((question.translations or {}).items())
    ]
    part = TranslationsPart(language_name(written_language(question)), rows, has_options=_has_options(question))
    if editable:
        part.add_form = _add_form(question, formdata=None)
        part.add_url = place.url("add_translation", question_id=question.id)
    return part


def _has_options(question: Question) -> bool:
    return question.kind in CHOICE_KINDS


def _add_form(question: Question, formdata: Any = None) -> AddTranslationForm:
    """One add form per question on a page, so each has its own prefix (its fields' ids stay unique)."""
    taken = set(question.translations or {})
    choices = [
        SelectChoice(code, language_name(code)) for code in translatable_languages(question) if code not in taken
    ]
    form = AddTranslationForm(formdata=formdata, prefix=f"q{question.id}")
    return form.offer(choices)


def add_translation_page(question: Question, place: QuestionPlace):
    """Add a translation from a questions page; a refused one is shown again on a page of its own with its
    errors (422)."""
    form = _add_form(question, formdata=request.form)
    if form.validate_on_submit():
        try:
            set_translation(question, form.language.data, **form.translation())
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Translation added."), "success")
            return redirect(place.back(question))
    return _render_form(question, place, form, language=None), 422


def edit_translation_page(question: Question, language: str, place: QuestionPlace):
    """Change one translation (404 if the question has none in ``language``)."""
    stored = own_translation(question, language)
    form = TranslationForm()
    if request.method == "GET":
        form.process(data={**stored, "options": "\n".join(stored.get("options") or [])})
    if form.validate_on_submit():
        try:
            set_translation(question, language, **form.translation())
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Translation saved."), "success")
            return redirect(place.back(question))
    return _render_form(question, place, form, language), 422 if request.method == "POST" else 200


def _render_form(question: Question, place: QuestionPlace, form: TranslationForm, language: str | None):
    return render_template(
        "registration/question_translation.html",
        question=question,
        place=place,
        form=form,
        language=language,
        language_label=language_name(language) if language else "",
        written_in=language_name(written_language(question)),
        has_options=_has_options(question),
        action=place.url("edit_translation", question_id=question.id, language=language)
        if language
        else place.url("add_translation", question_id=question.id),
    )


def remove_translation_page(question: Question, language: str, place: QuestionPlace):
    """Ask first, then remove the translation: readers of that language see the question as written again."""
    own_translation(question, language)
    form = ConfirmForm()
    if form.validate_on_submit():
        remove_translation(question, language)
        db.session.commit()
        flash(_("Translation removed."), "success")
        return redirect(place.back(question))
    return render_template(
        "registration/question_translation_remove.html",
        question=question,
        place=place,
        form=form,
        language=language,
        language_label=language_name(language),
    ), 400 if request.method == "POST" else 200


def register_translation_routes(
    bp: Blueprint, prefix: str, question_and_place: Callable[..., tuple[Question, QuestionPlace]]
) -> None:
    """The add, edit and remove pages of a questions page's translations, on ``bp`` under ``prefix`` (endpoints
    ``add_translation``, ``edit_translation``, ``remove_translation``). ``question_and_place(question_id=…, **the
    blueprint's own view arguments)`` loads the question, refusing whoever may not manage it, and names its page:
    the event's and the series' questions pages differ only in that."""

    def add_translation(question_id: int, **owner: Any):
        return add_translation_page(*question_and_place(question_id=question_id, **owner))

    def edit_translation(question_id: int, language: str, **owner: Any):
        question, place = question_and_place(question_id=question_id, **owner)
        return edit_translation_page(question, language, place)

    def remove_translation(question_id: int, language: str, **owner: Any):
        question, place = question_and_place(question_id=question_id, **owner)
        return remove_translation_page(question, language, place)

    rule = f"{prefix}/<int:question_id>/translations"
    bp.add_url_rule(rule, "add_translation", add_translation, methods=["POST"])
    bp.add_url_rule(f"{rule}/<language>", "edit_translation", edit_translation, methods=["GET", "POST"])
    bp.add_url_rule(f"{rule}/<language>/remove", "remove_translation", remove_translation, methods=["GET", "POST"])
