"""The work of the organiser's question pages, shared by an event's (``manage_views``) and a series'
(``series_question_views``): the two differ only in who owns the questions, how the owner is loaded and
authorised, and the template around the list, so each view loads its owner and hands over to one of these.
Like ``translation_views``, where the two share their translation pages (``QuestionPlace`` names the page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _

from eventhub import clock
from eventhub.errors import ValidationFailed
from eventhub.events.models import Event, Series
from eventhub.extensions import db
from eventhub.registration.answer_deletion import set_delete_answers_after_event
from eventhub.registration.forms import QuestionEditForm, QuestionForm
from eventhub.registration.models import Question
from eventhub.registration.presenters import answer_deletion_message
from eventhub.registration.questions import add_question, delete_question, edit_question, own_question
from eventhub.registration.translation_views import QuestionPlace
from eventhub.web import ConfirmForm, apply_domain_error

Owner = Event | Series


def questions_page(owner: Owner, place: QuestionPlace, render: Callable[[QuestionForm], str]) -> Any:
    """The owner's questions and the form to add one: added → back to the list; else ``render(form)`` (422 for a
    refused form)."""
    form = QuestionForm()
    if form.validate_on_submit() and _saved(form, lambda: add_question(owner, **form.question()), _("Question added.")):
        return redirect(place.back())
    return render(form), 422 if request.method == "POST" else 200


def edit_question_page(owner: Owner, question: Question, place: QuestionPlace, **page: Any) -> Any:
    """Change the wording of one of the owner's questions (a consent question gets a new version); ``page``: the
    template's own values (``event=`` or ``series=``)."""
    form = QuestionEditForm(data=QuestionEditForm.data_of(question) if request.method == "GET" else None)
    if form.validate_on_submit() and _saved(
        form, lambda: edit_question(question.id, owner, **form.question()), _("Question saved.")
    ):
        return redirect(place.back())
    return render_template(
        "registration/question_edit.html",
        question=question,
        form=form,
        action=request.path,
        back=place.back(),
        **page,
    ), 422 if request.method == "POST" else 200


def _saved(form: QuestionForm | QuestionEditForm, change: Callable[[], Any], message: str) -> bool:
    """Make the form's ``change``: committed and ``message`` flashed (True), or the service's field errors put
    on the form (False, nothing written)."""
    try:
        change()
    except ValidationFailed as exc:
        apply_domain_error(form, exc)
        return False
    db.session.commit()
    flash(message, "success")
    return True


def remove_own_question(owner: Owner, question: Question, place: QuestionPlace) -> Any:
    """Remove the question (answers already given are kept) and go back to the list; the caller checked the
    confirmation."""
    delete_question(question.id, owner)
    db.session.commit()
    flash(_("Question removed."), "success")
    return redirect(place.back())


def answer_deletion_switch(owner: Owner, question_id: int, state: str, place: QuestionPlace) -> Any:
    """Mark the owner's question "delete answers after the event" (at once where the event has ended), or unmark
    it."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    set_delete_answers_after_event(own_question(question_id, owner), state == "on", clock.now())
    db.session.commit()
    flash(answer_deletion_message(state == "on"), "success")
    return redirect(place.back())
