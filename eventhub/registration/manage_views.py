"""The organiser's pages for one event: invitations, registrations and the waiting list, questions, requests,
and the CSV export. For the people who manage the event (the organisers of its series, its creator if it has
none, admins); anyone else gets a 403 (anonymous visitors are sent to log in).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventhub import clock
from eventhub.accounts.permissions import can_manage_event, can_manage_events
from eventhub.errors import DomainError, ValidationFailed
from eventhub.events.forms_settings import language_name
from eventhub.events.models import Event
from eventhub.events.services import get_event
from eventhub.extensions import db
from eventhub.mail.suppression import suppressed_among
from eventhub.pagination import paginate
from eventhub.registration import invitation_requests, manage_lists, organiser_actions, question_pages
from eventhub.registration import invitations as inviting
from eventhub.registration.export import export_registrations
from eventhub.registration.forms import (
    InviteListForm,
    InviteOneForm,
    ListFilterForm,
    QuestionForm,
    RegistrationActionForm,
)
from eventhub.registration.invitee_lists import InviteeRow, parse_invitee_csv, parse_invitee_text
from eventhub.registration.models import (
    Invitation,
    InvitationStatus,
    Question,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from eventhub.registration.organiser_actions import RegistrationAction
from eventhub.registration.presenters import (
    FILTER_NAMES,
    answer_cells,
    invitation_rows,
    kept_filters,
    language_choices,
    organisation_choices,
    question_meta,
    read_filters,
    request_rows,
    status_choices,
)
from eventhub.registration.question_translations import owner_language
from eventhub.registration.questions import own_question, questions_for
from eventhub.registration.translation_views import QuestionPlace, register_translation_routes, translations_part
from eventhub.texts import lazy_text as _l
from eventhub.web import ConfirmForm, apply_domain_error

bp = Blueprint("registration_manage", __name__, url_prefix="/events/<int:event_id>/manage")


@bp.before_request
@login_required
def _organisers_only() -> None:
    """Every page here is for organisers: checked once, before any view loads anything."""
    if not can_manage_events(current_user):
        abort(403)


def _event(event_id: int) -> Event:
    """The event if the current user manages it; 404 if there is none, 403 for another organiser's event (every
    organiser may see it, so its existence is no secret to them)."""
    event = get_event(event_id)
    if not can_manage_event(current_user, event):
        abort(403)
    return event


def _actor():
    return current_user._get_current_object()


@bp.get("/invitations")
def invitations(event_id: int):
    """One page of the event's invitations (searched, filtered, counted on the server), and the invite forms."""
    return _render_invitations(_event(event_id), InviteOneForm(), InviteListForm())


def _render_invitations(event: Event, one_form, list_form, result=None, code: int = 200):
    now = clock.now()
    organisations, languages = manage_lists.filter_options(event, Invitation)
    filters = ListFilterForm(request.args).offer(
        status_choices(InvitationStatus), organisation_choices(organisations), language_choices(languages)
    )
    filters.validate()
    chosen, page_number = read_filters(filters)
    page = paginate(manage_lists.invitations_query(event, chosen, now), page_number)
    return render_template(
        "registration/manage_invitations.html",
        event=event,
        page=page,
        invitations=invitation_rows(page.items, now),
        counts=manage_lists.invitation_counts(event, now),
        filters=filters,
        kept=kept_filters(filters),
        back=kept_filters(filters, page.page),
        one_form=one_form,
        list_form=list_form,
        action_form=ConfirmForm(),
        result=result,
        active="invitations",
        suppressed=suppressed_among(invitation.person.email for invitation in page.items),
    ), code


@bp.post("/invitations")
def invite(event_id: int):
    """Invite one person, or everyone in a pasted list or an uploaded CSV file."""
    event = _event(event_id)
    one_form, list_form = InviteOneForm(), InviteListForm()
    is_list = "invitees" in request.form or "file" in request.files
    form = list_form if is_list else one_form
    if not form.validate_on_submit():
        return _render_invitations(event, one_form, list_form, code=422)
    try:
        rows, errors = _rows_from(one_form, list_form, is_list)
        result = inviting.invite_people(event, rows, _actor(), clock.now(), errors)
    except ValidationFailed as exc:
        apply_domain_error(form, exc)
        return _render_invitations(event, one_form, list_form, code=422)
    db.session.commit()
    return _render_invitations(event, InviteOneForm(formdata=None), InviteListForm(formdata=None), result=result)


def _rows_from(one_form: InviteOneForm, list_form: InviteListForm, is_list: bool):
    if not is_list:
        f = one_form
        return [InviteeRow(1, f.email.data, f.name.data or "", f.organisation.data or "", f.language.data or "")], []
    upload = list_form.file.data
    if upload and getattr(upload, "filename", ""):
        return parse_invitee_csv(upload.read())
    if list_form.invitees.data and list_form.invitees.data.strip():
        return parse_invitee_text(list_form.invitees.data)
    raise ValidationFailed(_l("Nothing to invite."), {"invitees": _l("paste a list or choose a file")})


@bp.post("/invitations/<int:invitation_id>/<any(resend, revoke):action>")
def invitation_action(event_id: int, invitation_id: int, action: str):
    """Resend an invitation (with a fresh link) or revoke it (every link stops working)."""
    invitation = inviting.get_invitation(_event(event_id), invitation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "resend":
            inviting.resend_invitation(invitation, clock.now(), _actor())
        else:
            inviting.revoke_invitation(invitation, clock.now(), _actor())
    except DomainError as exc:
        apply_domain_error(None, exc)
    else:
        db.session.commit()
        flash(_("Invitation resent.") if action == "resend" else _("Invitation revoked."), "success")
    return redirect(url_for(".invitations", event_id=event_id, **_same_list()))


@bp.get("/registrations")
def registrations(event_id: int):
    """One page of the registrations with their answers (searched, filtered, counted on the server); the waiting
    list is the "waiting" filter, in its order."""
    event = _event(event_id)
    organisations, languages = manage_lists.filter_options(event, Registration)
    filters = ListFilterForm(request.args).offer(
        status_choices(RegistrationStatus), organisation_choices(organisations), language_choices(languages)
    )
    filters.validate()
    chosen, page_number = read_filters(filters)
    page = paginate(manage_lists.registrations_query(event, chosen), page_number)
    questions = questions_for(event)
    page_language = str(get_locale() or "en")
    return render_template(
        "registration/manage_registrations.html",
        event=event,
        questions=questions,
        page=page,
        rows=list(zip(page.items, answer_cells(page.items, questions, page_language), strict=True)),
        counts=manage_lists.registration_counts(event),
        filters=filters,
        kept=kept_filters(filters),
        back=kept_filters(filters, page.page),
        active="registrations",
        suppressed=suppressed_among(registration.person.email for registration in page.items),
    )


@bp.route("/registrations/<int:registration_id>/<any(cancel, waitlist, confirm):action>", methods=["GET", "POST"])
def registration_action(event_id: int, registration_id: int, action: str):
    """Ask first (who, what happens, who is emailed), then cancel the registration or move it between confirmed
    and the waiting list. A change that no longer applies answers 409 with the reason."""
    event = _event(event_id)
    registration = organiser_actions.get_registration(event, registration_id)
    kind, form = RegistrationAction(action), RegistrationActionForm()
    if form.validate_on_submit():
        try:
            organiser_actions.perform_action(registration, kind, _actor(), clock.now(), form.over_capacity.data)
        except organiser_actions.OverCapacity as exc:
            apply_domain_error(form, exc)
        except DomainError as exc:
            apply_domain_error(None, exc)
            return redirect(url_for(".registrations", event_id=event_id))
        else:
            db.session.commit()
            flash(_ACTION_DONE[kind](registration.person.name), "success")
            return redirect(url_for(".registrations", event_id=event_id))
    preview = organiser_actions.preview_action(registration, kind, clock.now())
    code = (409 if form.errors else 400) if request.method == "POST" else 200
    return render_template(
        "registration/manage_registration_action.html", event=event, preview=preview, form=form, active="registrations"
    ), code


_ACTION_DONE = {
    RegistrationAction.CANCEL: lambda name: _(
        "The registration of %(name)s is cancelled; they are being emailed.", name=name
    ),
    RegistrationAction.WAITLIST: lambda name: _(
        "%(name)s is on the waiting list now; they are being emailed.", name=name
    ),
    RegistrationAction.CONFIRM: lambda name: _(
        "%(name)s has a confirmed place now; they are being emailed.", name=name
    ),
}


@bp.get("/registrations.csv")
def export_csv(event_id: int):
    """The registrations as CSV for a spreadsheet (UTF-8 with BOM, formulas neutralised); the download is recorded
    in the audit log."""
    event = _event(event_id)
    filename = f"registrations-event-{event.id}.csv"
    body = export_registrations(event, _actor(), clock.now()).encode("utf-8")
    db.session.commit()
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


@bp.route("/questions", methods=["GET", "POST"])
def questions(event_id: int):
    """The event's registration questions (and those it inherits from its series); add one."""
    event = _event(event_id)
    place = _question_place(event)

    def render(form: QuestionForm) -> str:
        return render_template(
            "registration/manage_questions.html",
            event=event,
            questions=[(q, translations_part(q, place, editable=q.event_id == event.id)) for q in questions_for(event)],
            written_in=language_name(owner_language(event)),
            question_meta=question_meta,
            form=form,
            action_form=ConfirmForm(),
            active="questions",
        )

    return question_pages.questions_page(event, place, render)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_own_question(event_id: int, question_id: int):
    """Change the wording of one of the event's own questions (a consent question gets a new version)."""
    event = _event(event_id)
    question = own_question(question_id, event)
    return question_pages.edit_question_page(event, question, _question_place(event), event=event, active="questions")


@bp.post("/questions/<int:question_id>/delete")
def remove_question(event_id: int, question_id: int):
    """Remove one of the event's own questions (answers already given are kept)."""
    event = _event(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return question_pages.remove_own_question(event, own_question(question_id, event), _question_place(event))


def _question_place(event: Event) -> QuestionPlace:
    return QuestionPlace("registration_manage", {"event_id": event.id}, "questions", event.title)


def _own_question_and_place(event_id: int, question_id: int) -> tuple[Question, QuestionPlace]:
    """One of the event's own questions (the series' are translated on its page), for its translation pages."""
    event = _event(event_id)
    return own_question(question_id, event), _question_place(event)


register_translation_routes(bp, "/questions", _own_question_and_place)


@bp.post("/questions/<int:question_id>/answer-deletion/<any(on, off):state>")
def question_answer_deletion(event_id: int, question_id: int, state: str):
    """Mark one of the event's own questions "delete answers after the event" (deleted at once if it has ended),
    or unmark it."""
    event = _event(event_id)
    return question_pages.answer_deletion_switch(event, question_id, state, _question_place(event))


@bp.get("/requests")
def requests(event_id: int):
    """One page of the requests for an invitation, pending first (searched and filtered on the server)."""
    event = _event(event_id)
    filters = ListFilterForm(request.args).offer(status_choices(RequestStatus))
    filters.validate()
    chosen, page_number = read_filters(filters)
    page = paginate(manage_lists.requests_query(event, chosen), page_number)
    return render_template(
        "registration/manage_requests.html",
        event=event,
        page=page,
        requests=request_rows(page.items),
        counts=manage_lists.request_counts(event),
        filters=filters,
        kept=kept_filters(filters),
        back=kept_filters(filters, page.page),
        action_form=ConfirmForm(),
        active="requests",
    )


@bp.post("/requests/<int:request_id>/<any(approve, decline):action>")
def request_action(event_id: int, request_id: int, action: str):
    """Approve (an invitation goes out) or decline (a polite email goes out)."""
    item = invitation_requests.get_request(_event(event_id), request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "approve":
            invitation_requests.approve_request(item, _actor(), clock.now())
        else:
            invitation_requests.decline_request(item, _actor(), clock.now())
    except DomainError as exc:
        apply_domain_error(None, exc)
    else:
        db.session.commit()
        flash(
            _("Request approved: the invitation is on its way.") if action == "approve" else _("Request declined."),
            "success",
        )
    return redirect(url_for(".requests", event_id=event_id, **_same_list()))


def _same_list() -> dict[str, str]:
    """The list's filters and page that an action's form carried in its URL, to come back to the same page.
    Only these names are kept, and ``url_for`` builds the address: nothing else of the request is echoed."""
    return {name: value for name in (*FILTER_NAMES, "page") if (value := request.args.get(name, "")[:254])}
