"""The series' own registration questions, /series/<slug>/manage/questions: every event of the series asks them.
For the series' organisers and admins (the login page for anonymous visitors, 403 for other accounts, 404 for a
series the visitor may not see). The questions of one event are in ``registration.manage_views``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub import clock
from eventhub.accounts.permissions import can_manage_series
from eventhub.errors import NotFound, ValidationFailed
from eventhub.events.forms_settings import language_name
from eventhub.events.models import Series
from eventhub.extensions import db, login_manager
from eventhub.registration.answer_deletion import set_delete_answers_after_event
from eventhub.registration.forms import QuestionEditForm, QuestionForm
from eventhub.registration.models import Question
from eventhub.registration.presenters import answer_deletion_message, question_meta
from eventhub.registration.question_translations import owner_language
from eventhub.registration.questions import (
    add_question,
    delete_question,
    edit_question,
    own_question,
    series_questions,
)
from eventhub.registration.translation_views import (
    QuestionPlace,
    register_translation_routes,
    translations_part,
)
from eventhub.web import ConfirmForm, apply_domain_error, viewable_series

series_bp = Blueprint("series_questions", __name__, url_prefix="/series/<slug>/manage/questions")


def _managed_series(slug: str) -> Series:
    """The series for its organisers: 404 if hidden, the login page for anonymous visitors, 403 otherwise."""
    series = viewable_series(slug)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can_manage_series(current_user, series):
        abort(403)
    return series


@series_bp.route("", methods=["GET", "POST"])
def series_questions_page(slug: str):
    """The series' registration questions; add one."""
    series = _managed_series(slug)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            add_question(series, **form.question())
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Question added."), "success")
            return redirect(url_for(".series_questions_page", slug=slug))
    code = 422 if request.method == "POST" else 200
    place = _question_place(series)
    questions = [(question, translations_part(question, place, editable=True)) for question in series_questions(series)]
    return render_template(
        "registration/series_questions.html",
        series=series,
        questions=questions,
        written_in=language_name(owner_language(series)),
        question_meta=question_meta,
        form=form,
        action_form=ConfirmForm(),
    ), code


@series_bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
def edit_series_question(slug: str, question_id: int):
    """Change the wording of one of the series' questions (a consent question gets a new version)."""
    series = _managed_series(slug)
    try:
        question = own_question(question_id, series)
    except NotFound:
        abort(404)
    form = QuestionEditForm(data=QuestionEditForm.data_of(question) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            edit_question(question.id, series, **form.question())
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Question saved."), "success")
            return redirect(url_for(".series_questions_page", slug=slug))
    return render_template(
        "registration/question_edit.html",
        series=series,
        question=question,
        form=form,
        action=url_for(".edit_series_question", slug=slug, question_id=question.id),
        back=url_for(".series_questions_page", slug=slug),
    ), 422 if request.method == "POST" else 200


@series_bp.route("/<int:question_id>/remove", methods=["GET", "POST"])
def remove_series_question(slug: str, question_id: int):
    """Ask first (the question goes from every event of the series), then remove it; answers given stay."""
    series = _managed_series(slug)
    try:
        question = own_question(question_id, series)
    except NotFound:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        delete_question(question.id, series)
        db.session.commit()
        flash(_("Question removed."), "success")
        return redirect(url_for(".series_questions_page", slug=slug))
    code = 400 if request.method == "POST" else 200
    return render_template(
        "registration/series_question_remove.html", series=series, question=question, form=form
    ), code


def _question_place(series: Series) -> QuestionPlace:
    return QuestionPlace("series_questions", {"slug": series.slug}, "series_questions_page", series.title)


def _series_question_and_place(slug: str, question_id: int) -> tuple[Question, QuestionPlace]:
    """A series question, for its translation pages."""
    series = _managed_series(slug)
    return own_question(question_id, series), _question_place(series)


register_translation_routes(series_bp, "", _series_question_and_place)


@series_bp.post("/<int:question_id>/answer-deletion/<any(on, off):state>")
def series_question_answer_deletion(slug: str, question_id: int, state: str):
    """Mark a series question "delete answers after the event" (deleted at once at the series' past events), or
    unmark it."""
    series = _managed_series(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    set_delete_answers_after_event(own_question(question_id, series), state == "on", clock.now())
    db.session.commit()
    flash(answer_deletion_message(state == "on"), "success")
    return redirect(url_for(".series_questions_page", slug=slug))
