"""/api/v1 routes for invitations and registrations of an event (the organisers of its series, and admins).

Same pattern as ``eventhub.events.api``: the route loads the event, the body arrives parsed, one service call,
commit, a model of ``eventhub.registration.schemas`` as the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, g
from flask.typing import ResponseReturnValue

from eventhub import clock
from eventhub.accounts import permissions
from eventhub.api.auth import Permission
from eventhub.api.paging import PageQuery, paged, window_of
from eventhub.api.routes import Route
from eventhub.api.routes import register_routes as _register
from eventhub.events.api import managed_event, managed_series
from eventhub.events.models import Event, Series
from eventhub.extensions import db
from eventhub.pagination import window
from eventhub.registration import invitations as inviting
from eventhub.registration import manage_lists, organiser_actions, schemas
from eventhub.registration.consents import consents_by_registration, consents_of
from eventhub.registration.manage_lists import ListFilters
from eventhub.registration.models import Question, Registration
from eventhub.registration.organiser_actions import RegistrationAction
from eventhub.registration.question_translations import replace_translations
from eventhub.registration.questions import add_question, own_question, questions_for, series_questions


def register_routes(bp: Blueprint) -> None:
    """Add this area's routes to the API blueprint (called once, by ``eventhub.api.blueprint``)."""
    _register(bp, ROUTES)


def create_invitations(event: Event, body: schemas.InvitationsInput) -> ResponseReturnValue:
    """Invite a list of people: 201 with what was created, skipped (already invited) and refused, row by row, and
    a warning for each invitee whose language eventhub does not speak (they read the event's language)."""
    rows, errors = body.rows()
    now = clock.now()
    result = inviting.invite_people(event, rows, g.api_user, now, errors)
    # Read before the commit expires them: afterwards each of 5,000 invitations would be loaded again, one by one.
    created = [schemas.Invitation.of(invitation, now) for invitation in result.created]
    warnings = [schemas.LanguageWarning.of(fallback) for fallback in result.warnings]
    db.session.commit()
    return schemas.InvitationResult(
        created=created, skipped=result.skipped, errors=result.errors, warnings=warnings
    ), 201


def list_invitations(event: Event, query: schemas.InvitationListQuery) -> schemas.InvitationList:
    """The event's invitations with their status (pending, registered, declined, revoked, expired)."""
    now = clock.now()
    chosen = ListFilters(status=query.status.value if query.status else None)
    found = window(manage_lists.invitations_query(event, chosen, now), query.offset, query.limit)
    return schemas.InvitationList(
        **paged(found, [schemas.Invitation.of(invitation, now) for invitation in found.items])
    )


def list_registrations(event: Event, query: schemas.RegistrationListQuery) -> schemas.RegistrationList:
    """The event's registrations with status, answers, consents and timestamps (the JSON export)."""
    labels = {str(question.id): question.label for question in questions_for(event)}
    chosen = ListFilters(status=query.status.value if query.status else None)
    found = window(manage_lists.registrations_query(event, chosen), query.offset, query.limit)
    consents = consents_by_registration(registration.id for registration in found.items)
    items = [schemas.Registration.of(r, labels, consents[r.id]) for r in found.items]
    return schemas.RegistrationList(**paged(found, items))


def _registration(event_id: int, registration_id: int) -> Registration:
    """The registration of an event the caller manages; 404 for one of another event, 403 for an event of a
    series they do not organise."""
    return organiser_actions.get_registration(managed_event(event_id), registration_id)


def _act(registration: Registration, action: RegistrationAction, over_capacity: bool = False) -> schemas.Registration:
    organiser_actions.perform_action(registration, action, g.api_user, clock.now(), over_capacity)
    labels = {str(question.id): question.label for question in questions_for(registration.event)}
    answer = schemas.Registration.of(registration, labels, consents_of(registration))
    db.session.commit()
    return answer


def cancel_registration(registration: Registration) -> schemas.Registration:
    """Cancel someone's registration (organisers): they are emailed; a freed place goes to the waiting list."""
    return _act(registration, RegistrationAction.CANCEL)


def waitlist_registration(registration: Registration) -> schemas.Registration:
    """Move a confirmed registration to the end of the waiting list (organisers); they are emailed."""
    return _act(registration, RegistrationAction.WAITLIST)


def confirm_registration(
    registration: Registration, body: schemas.RegistrationActionInput | None = None
) -> schemas.Registration:
    """Give someone on the waiting list a confirmed place (organisers); they are emailed."""
    return _act(registration, RegistrationAction.CONFIRM, body.over_capacity if body else False)


def _question_list(questions: list[Question], query: PageQuery) -> schemas.QuestionList:
    """A page of ``questions`` (a short list, read whole: an event asks a handful)."""
    found = window_of(questions, query)
    return schemas.QuestionList(**paged(found, [schemas.Question.of(question) for question in found.items]))


def _create_question(target: Event | Series, body: schemas.QuestionInput) -> ResponseReturnValue:
    """Add the question, then its translations (which are checked against its kind and choices)."""
    question = add_question(target, **body.fields())
    replace_translations(question, body.translations_dict(), reword=False)
    answer = schemas.Question.of(question)
    db.session.commit()
    return answer, 201


def _set_translations(question: Question, body: schemas.QuestionTranslationsInput) -> schemas.Question:
    replace_translations(question, body.translations_dict())
    answer = schemas.Question.of(question)
    db.session.commit()
    return answer


@dataclass(frozen=True)
class QuestionOwner:
    """Who a set of question routes belongs to: an event (its own questions; it also asks its series') or a
    series. The routes of both are made by ``question_routes``, so they differ only here."""

    name: str  # in the views' names, hence the endpoints and operation ids: list_<name>_questions, ...
    rule: str
    permission: Permission
    load: Callable[..., Event | Series]
    questions_of: Callable[[Any], list[Question]]
    summaries: tuple[str, str, str]  # list, create, set translations


def question_routes(owner: QuestionOwner) -> tuple[Route, ...]:
    """The list, create and set-translations routes of ``owner``'s questions."""

    def list_questions(target: Event | Series, query: PageQuery) -> schemas.QuestionList:
        return _question_list(owner.questions_of(target), query)

    def create_question(target: Event | Series, body: schemas.QuestionInput) -> ResponseReturnValue:
        return _create_question(target, body)

    def set_question_translations(question: Question, body: schemas.QuestionTranslationsInput) -> schemas.Question:
        return _set_translations(question, body)

    def load_question(question_id: int, **owner_path: Any) -> Question:
        """One of the owner's own questions (404 for an event's series' questions: they change on the series)."""
        return own_question(question_id, owner.load(**owner_path))

    list_summary, create_summary, translations_summary = owner.summaries
    return (
        Route(
            f"{owner.rule}/questions", _named(list_questions, f"list_{owner.name}_questions"), "GET", list_summary,
            {200: schemas.QuestionList}, (403, 404, 422),
            permission=owner.permission, load=owner.load, query=PageQuery,
        ),
        Route(
            f"{owner.rule}/questions", _named(create_question, f"create_{owner.name}_question"), "POST",
            create_summary, {201: schemas.Question}, (400, 403, 404, 415, 422),
            permission=owner.permission, load=owner.load, body=schemas.QuestionInput,
        ),
        Route(
            f"{owner.rule}/questions/<int:question_id>/translations",
            _named(set_question_translations, f"set_{owner.name}_question_translations"), "PUT", translations_summary,
            {200: schemas.Question}, (400, 403, 404, 415, 422), permission=owner.permission, load=load_question,
            body=schemas.QuestionTranslationsInput, description=TRANSLATIONS_DESCRIPTION,
        ),
    )  # fmt: skip


def _named(view: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``view`` under ``name``: the endpoint and the OpenAPI operation id are made from a view's name."""
    view.__name__ = view.__qualname__ = name
    return view


TRANSLATIONS_DESCRIPTION = (
    "The translations given replace all the question's translations (`{}` removes them all). Each must be in a "
    "language eventhub speaks other than the question's own, and a choice question's translation needs one option "
    "per choice, in their order (422 with `translations.<language>.<field>` otherwise)."
)

ROUTES = (
    Route(
        "/events/<int:event_id>/invitations", create_invitations, "POST",
        "Invite people (the event's organisers): each row is checked; bad rows are reported in `errors` by line, "
        "addresses already invited in `skipped`, and the invitation emails are queued for the others",
        {201: schemas.InvitationResult}, (400, 403, 404, 409, 415, 422),
        permission=permissions.can_manage_events, load=managed_event, body=schemas.InvitationsInput,
    ),
    Route(
        "/events/<int:event_id>/invitations", list_invitations, "GET",
        "Invitations of an event with their status (its organisers)", {200: schemas.InvitationList}, (403, 404, 422),
        permission=permissions.can_manage_events, load=managed_event, query=schemas.InvitationListQuery,
    ),
    Route(
        "/events/<int:event_id>/registrations", list_registrations, "GET",
        "Registrations of an event with answers and consents (its organisers)", {200: schemas.RegistrationList},
        (403, 404, 422),
        permission=permissions.can_manage_events, load=managed_event, query=schemas.RegistrationListQuery,
    ),
    Route(
        "/events/<int:event_id>/registrations/<int:registration_id>/cancel", cancel_registration, "POST",
        "Cancel someone's registration (organisers); the first on the waiting list gets a freed place",
        {200: schemas.Registration}, (403, 404, 409), permission=permissions.can_manage_events, load=_registration,
    ),
    Route(
        "/events/<int:event_id>/registrations/<int:registration_id>/waitlist", waitlist_registration, "POST",
        "Move a confirmed registration to the end of the waiting list (organisers); nobody else is promoted",
        {200: schemas.Registration}, (403, 404, 409), permission=permissions.can_manage_events, load=_registration,
    ),
    Route(
        "/events/<int:event_id>/registrations/<int:registration_id>/confirm", confirm_registration, "POST",
        "Give someone on the waiting list a confirmed place (organisers)", {200: schemas.Registration},
        (400, 403, 404, 409, 415, 422), permission=permissions.can_manage_events, load=_registration,
        body=schemas.RegistrationActionInput, body_required=False,
        description="A full event answers 409 (`over_capacity`) unless the body says `{\"over_capacity\": true}`.",
    ),
)  # fmt: skip

EVENT_QUESTIONS = QuestionOwner(
    "event", "/events/<int:event_id>", permissions.can_manage_events, managed_event, questions_for,
    ("Registration questions of an event, with their translations (its organisers): the series' first",
     "Add a registration question to an event, with translations if any (its organisers)",
     "Set the translations of one of an event's own questions (its organisers)"),
)  # fmt: skip
SERIES_QUESTIONS = QuestionOwner(
    "series", "/series/<slug>", permissions.can_manage_series, managed_series, series_questions,
    ("Registration questions every event of a series asks, with their translations (its organisers)",
     "Add a registration question to a series, with translations if any (its organisers)",
     "Set the translations of a series question (its organisers)"),
)  # fmt: skip
ROUTES += question_routes(EVENT_QUESTIONS) + question_routes(SERIES_QUESTIONS)
