"""The series' own registration questions, /series/<slug>/manage/questions: every event of the series asks them.
For the series' organisers and admins (the login page for anonymous visitors, 403 for other accounts, 404 for a
series the visitor may not see). The questions of one event are in ``registration.manage_views``.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from eventhub.accounts.permissions import can_manage_series
from eventhub.errors import NotFound
from eventhub.events.forms_settings import language_name
from eventhub.events.models import Series
from eventhub.extensions import login_manager
from eventhub.registration import question_pages
from eventhub.registration.forms import QuestionForm
from eventhub.registration.models import Question
from eventhub.registration.presenters import question_meta
from eventhub.registration.question_translations import owner_language
from eventhub.registration.questions import (
    own_question,
    series_questions,
)
from eventhub.registration.translation_views import (
    QuestionPlace,
    register_translation_routes,
    translations_part,
)
from eventhub.web import ConfirmForm, viewable_series

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
    place = _question_place(series)

    def render(form: QuestionForm) -> str:
        return render_template(
            "registration/series_questions.html",
            series=series,
            questions=[(q, translations_part(q, place, editable=True)) for q in series_questions(series)],
            written_in=language_name(owner_language(series)),
            question_meta=question_meta,
            form=form,
            action_form=ConfirmForm(),
        )

    return question_pages.questions_page(series, place, render)


@series_bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
def edit_series_question(slug: str, question_id: int):
    """Change the wording of one of the series' questions (a consent question gets a new version)."""
    series = _managed_series(slug)
    question = _own_question(question_id, series)
    return question_pages.edit_question_page(series, question, _question_place(series), series=series)


@series_bp.route("/<int:question_id>/remove", methods=["GET", "POST"])
def remove_series_question(slug: str, question_id: int):
    """Ask first (the question goes from every event of the series), then remove it; answers given stay."""
    series = _managed_series(slug)
    question = _own_question(question_id, series)
    form = ConfirmForm()
    if form.validate_on_submit():
        return question_pages.remove_own_question(series, question, _question_place(series))
    code = 400 if request.method == "POST" else 200
    return render_template(
        "registration/series_question_remove.html", series=series, question=question, form=form
    ), code


def _own_question(question_id: int, series: Series) -> Question:
    try:
        return own_question(question_id, series)
    except NotFound:
        abort(404)


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
    return question_pages.answer_deletion_switch(series, question_id, state, _question_place(series))
