"""The invitee's pages: the invitation link (register or decline), the self-service link (view, change answers,
cancel), and the public form to ask for an invitation.

A page opened from a personal link speaks the language of the email the link came in (``i18n.read_as``): the
invitee's own, else the event's, else English; a language chosen in the switcher still wins.

Links are the credentials here: an unknown token is a 404 and a revoked or expired one a 410, with the same
words whoever the token belonged to. POSTs that count seats first take the event's lock (``lock_event_for_*``)
before reading anything, so SQLite serialises them too (see ``invitations.lock_event``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eventhub import clock
from eventhub.agenda.presenters import agenda_for_page
from eventhub.agenda.services import find_agenda
from eventhub.errors import TooManyRequests, ValidationFailed
from eventhub.extensions import db
from eventhub.i18n import read_as
from eventhub.registration import invitation_requests, invitations, services
from eventhub.registration.forms import AnswersBaseForm, RegistrationBaseForm, RequestForm, registration_form_class
from eventhub.registration.models import Invitation, InvitationStatus, RegistrationStatus
from eventhub.registration.presenters import invitation_was_declined
from eventhub.registration.question_translations import question_text, shown_answer
from eventhub.registration.questions import questions_for
from eventhub.web import ConfirmForm, apply_domain_error, viewable_event

bp = Blueprint("registration", __name__)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """The event and the registration form, pre-filled from the invitation."""
    if request.method == "POST":
        invitations.lock_event_for_invitation_token(token)
    now = clock.now()
    invitation = _open_invitation(token, now)
    if invitation.status == InvitationStatus.REGISTERED:
        return render_template("registration/already_registered.html", event=invitation.event)
    questions = questions_for(invitation.event)
    person = invitation.person
    prefill = {"name": person.name, "organisation": person.organisation.name if person.organisation else ""}
    form = registration_form_class(questions, language=_page_language())(
        data=prefill if request.method == "GET" else None
    )
    if form.validate_on_submit():
        outcome = _register(invitation, form, now)
        if outcome is not None:
            db.session.commit()
            return _after_registering(outcome)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "registration/invitation.html",
        invitation=invitation,
        event=invitation.event,
        form=form,
        decline_form=ConfirmForm(),
        agenda=agenda_for_page(invitation.event, current_user._get_current_object(), find_agenda(invitation.event)),
        token=token,
        declined=invitation_was_declined(invitation),
    ), status


def _open_invitation(token: str, now) -> Invitation:
    """The invitation of the link, its page in the invitee's language (the 410 page of a withdrawn or closed one
    too: the invitee is known, only the link no longer works)."""
    try:
        invitation = invitations.invitation_for_token(token, now)
    except invitations.Gone as exc:
        if exc.invitation is not None:
            read_as(exc.invitation.person, exc.invitation.event)
        raise
    read_as(invitation.person, invitation.event)
    return invitation


def _register(invitation, form: RegistrationBaseForm, now):
    """Register, turning a service's field errors into form errors (None when there were some)."""
    try:
        return services.register_invitee(
            invitation, form.name.data, form.organisation.data, form.answers(), now, form.shown(_page_language())
        )
    except ValidationFailed as exc:
        apply_domain_error(form, exc)
        return None


def _after_registering(outcome: services.RegistrationOutcome):
    if outcome.manage_token is None:
        return render_template("registration/already_registered.html", event=outcome.registration.event)
    return redirect(url_for("registration.manage", token=outcome.manage_token, welcome=1))


@bp.post("/invitations/<token>/decline")
def decline(token: str):
    """The invitee cannot come."""
    now = clock.now()
    invitation = _open_invitation(token, now)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    invitations.decline_invitation(invitation, now)
    db.session.commit()
    return render_template("registration/declined.html", event=invitation.event, token=token)


@bp.route("/registrations/<token>", methods=["GET", "POST"])
def manage(token: str):
    """The registration: status, answers (changeable until registration closes) and a cancel button."""
    if request.method == "POST":
        invitations.lock_event_for_manage_token(token)
    registration = services.registration_for_token(token)
    read_as(registration.person, registration.event)
    questions = questions_for(registration.event)
    language = _page_language()
    form_class = registration_form_class(questions, base=AnswersBaseForm, language=language)
    form = form_class(data=_answers_as_form_data(questions, registration.answers) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.change_answers(registration, form.answers(), clock.now(), form.shown(language))
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your answers are saved."), "success")
            return redirect(url_for("registration.manage", token=token))
    answers = [
        (question_text(question, language).label, shown_answer(question, registration.answers, language))
        for question in questions
    ]
    return render_template(
        "registration/manage.html",
        registration=registration,
        event=registration.event,
        form=form,
        answers=answers,
        cancel_form=ConfirmForm(),
        token=token,
        welcome=bool(request.args.get("welcome")),
        waitlist_place=services.waitlist_place(registration),
        Status=RegistrationStatus,
    ), 422 if request.method == "POST" else 200


def _page_language() -> str:
    """The language the page is in: questions are shown in it where they have a translation into it, and a
    consent is recorded in the language its text was read in."""
    return str(get_locale())


def _answers_as_form_data(questions, answers: dict[str, Any]) -> dict[str, Any]:
    data = {}
    for question in questions:
        value = (answers or {}).get(str(question.id))
        data[question.field_name] = (
            ("yes" if value else "no") if question.kind == "yes_no" and value is not None else value
        )
    return data


@bp.post("/registrations/<token>/cancel")
def cancel(token: str):
    """Cancel the registration (or leave the waiting list); the first one waiting gets the seat."""
    invitations.lock_event_for_manage_token(token)
    registration = services.registration_for_token(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.cancel_registration(registration, clock.now())
    db.session.commit()
    return redirect(url_for("registration.manage", token=token))


@bp.route("/events/<int:event_id>/request-invitation", methods=["GET", "POST"])
def request_invitation(event_id: int):
    """Ask for an invitation, or propose a case to present, for an invitation-only event."""
    event = viewable_event(event_id)
    if not event.invitation_only:
        abort(404)
    form = RequestForm()
    if form.validate_on_submit():
        data = invitation_requests.RequestInput(
            form.name.data,
            form.email.data,
            form.organisation.data or "",
            form.message.data or "",
            form.case_description.data or "",
            str(get_locale()),
        )
        try:
            invitation_requests.submit_request(event, data, request.remote_addr or "unknown", clock.now())
        except TooManyRequests as exc:
            form.form_errors.append(_("Too many requests. Please try again later."))
            return render_template("registration/request.html", event=event, form=form), exc.status
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        else:
            db.session.commit()
            return render_template("registration/request_sent.html", event=event)
    return render_template(
        "registration/request.html", event=event, form=form
    ), 422 if request.method == "POST" else 200
