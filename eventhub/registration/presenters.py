"""What registration pages and other areas' pages show of registration, decided here so templates only render:
the event page's registration links, and the organiser's invitation and request rows with their actions."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from wtforms import SelectChoice

from eventhub.accounts.permissions import can_manage_event
from eventhub.events.models import Event, Organisation
from eventhub.labels import label
from eventhub.privacy.stand_ins import is_stand_in_address
from eventhub.registration.consents import consents_by_registration, latest_consent
from eventhub.registration.forms import ListFilterForm
from eventhub.registration.manage_lists import ListFilters
from eventhub.registration.models import (
    ConsentRecord,
    Invitation,
    InvitationRequest,
    InvitationStatus,
    Question,
    QuestionKind,
    Registration,
    RequestStatus,
)
from eventhub.registration.questions import answer_text


def registration_links(event: Event, viewer: Any, now: datetime) -> dict[str, bool]:
    """For the event page: whether to offer the request form (while requests are open) and the organiser pages."""
    return {
        "can_request": event.takes_requests(now),
        "can_manage": can_manage_event(viewer, event),
    }


@dataclass(frozen=True)
class AnswerCell:
    """One answer in the organiser's registration list; for a consent question also the consent on record (the
    latest: given, or withdrawn), which says under which version and when."""

    text: str
    consent: ConsentRecord | None = None


def answer_cells(
    registrations: list[Registration], questions: list[Question], locale: str | None = None
) -> list[list[AnswerCell]]:
    """Per registration, a cell per question, answers in ``locale``'s words (consents read in one query for the
    whole page)."""
    consents = consents_by_registration(registration.id for registration in registrations)
    return [
        [
            AnswerCell(
                answer_text(question, registration.answers, locale),
                latest_consent(consents[registration.id], question) if question.kind == QuestionKind.CONSENT else None,
            )
            for question in questions
        ]
        for registration in registrations
    ]


@dataclass(frozen=True)
class InvitationRow:
    """One line of the organiser's invitation list: the status as shown (expired computed) and what may be done."""

    invitation: Invitation
    status: InvitationStatus
    can_resend: bool
    can_revoke: bool


def invitation_rows(invitations: Iterable[Invitation], now: datetime) -> list[InvitationRow]:
    return [InvitationRow(i, i.status_at(now), i.can_resend(now), i.can_revoke(now)) for i in invitations]


@dataclass(frozen=True)
class RequestRow:
    """One request for an invitation, whether it still waits for the organiser's decision, and whether it was
    anonymised."""

    request: InvitationRequest
    can_decide: bool
    anonymised: bool = False  # by retention: its name and address are gone


def request_rows(requests: Iterable[InvitationRequest]) -> list[RequestRow]:
    return [
        RequestRow(item, item.status == RequestStatus.PENDING, is_stand_in_address(item.email)) for item in requests
    ]


def invitation_was_declined(invitation: Invitation) -> bool:
    """The invitation page says so: the invitee may still change their mind and register."""
    return invitation.status == InvitationStatus.DECLINED


# ---------------------------------------------------------------------------------------------------------
# The organiser's lists: what the filter form offers, and the filters it read
# ---------------------------------------------------------------------------------------------------------

FILTER_NAMES = ("q", "status", "organisation", "language")


def status_choices(statuses: Iterable[enum.Enum]) -> list[SelectChoice]:
    return [SelectChoice(status.value, label(status)) for status in statuses]


def organisation_choices(organisations: Iterable[Organisation]) -> list[SelectChoice]:
    return [SelectChoice(str(organisation.id), organisation.name) for organisation in organisations]


def language_choices(codes: Iterable[str]) -> list[SelectChoice]:
    """Each language by its own name (``Dansk``), the code when Babel does not know it."""
    return [SelectChoice(code, _language_name(code)) for code in codes]


def _language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name() or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def read_filters(form: ListFilterForm) -> tuple[ListFilters, int]:
    """The valid filters of a validated ``form`` and the page number (1 when absent or wrong)."""
    organisation = form.value("organisation")
    filters = ListFilters(
        status=form.value("status") or None,
        organisation_id=int(organisation) if organisation.isdigit() else None,
        language=form.value("language") or None,
        q=form.value("q"),
    )
    return filters, int(form.value("page") or 1)


def kept_filters(form: ListFilterForm, page: int | None = None) -> dict[str, Any]:
    """The list's valid filters (and ``page``) as URL arguments: for the pager, the status links and the
    actions that come back to the same page."""
    kept: dict[str, Any] = {name: form.value(name) for name in FILTER_NAMES if form.value(name)}
    if page and page > 1:
        kept["page"] = page
    return kept


def answer_deletion_message(marked: bool) -> str:
    """What the organiser is told after marking a question "delete answers after the event" (or unmarking it)."""
    if marked:
        return _("Its answers will be deleted as soon as the event has ended.")
    return _("Its answers will be kept until the event's personal data is anonymised.")


def question_meta(question: Question, from_series_shown: bool = True) -> str:
    """The line under a question on the organiser's question pages: its kind, then what else marks it ("Short
    text, required, version 2, from the series, answers deleted when the event has ended"). ``from_series_shown``:
    False on the series' own page, where every question is the series'."""
    parts = [str(label(question.kind))]
    if question.required:
        parts.append(_("required"))
    if question.kind == QuestionKind.CONSENT:
        parts.append(_("version %(number)d", number=question.version))
    if question.series_id and from_series_shown:
        parts.append(_("from the series"))
    if question.delete_answers_after_event:
        parts.append(_("answers deleted when the event has ended"))
    return ", ".join(parts)
