"""Registrations as a CSV file a spreadsheet opens correctly (the API's JSON is ``schemas.Registration``).

CSV: UTF-8 with a byte-order mark (Excel reads UTF-8 only with one, so "Jørgensen" and "Иванова" survive), and
every cell, header included, that a spreadsheet would read as a formula (= + - @, and tab or carriage return, which
some programs strip first) gets a leading apostrophe: an invitee's name must never run as a formula on an organiser's
machine.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from eventhub.accounts.models import User
from eventhub.audit.log import record_export
from eventhub.events.models import Event, Person
from eventhub.registration.consents import consent_summary, consents_by_registration, latest_consent
from eventhub.registration.models import QuestionKind, Registration
from eventhub.registration.questions import answer_text, questions_for
from eventhub.registration.services import list_registrations
from eventhub.texts import lazy_text as _l

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(cell: Any) -> str:
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_registrations(event: Event, actor: User | None, now: datetime) -> str:
    """``registrations_csv`` downloaded by ``actor``: recorded in the audit log (the caller commits)."""
    registrations = list_registrations(event)
    record_export("registrations.csv", actor=actor, now=now, event=event, rows=len(registrations))
    return registrations_csv(event, registrations)


def registrations_csv(event: Event, registrations: Sequence[Registration] | None = None) -> str:
    """The event's registrations (all of them unless given), one column per question, then one per consent
    question with the consent on record ("given v2 2027-01-03 14:05", UTC): comma-separated, quoted where
    needed, CRLF lines."""
    questions = questions_for(event)
    consent_questions = [question for question in questions if question.kind == QuestionKind.CONSENT]
    registrations = list_registrations(event) if registrations is None else registrations
    consents = consents_by_registration(registration.id for registration in registrations)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = [
        "email",
        "name",
        "organisation",
        "status",
        "waitlist_position",
        "registered_at",
        "confirmed_at",
        "cancelled_at",
    ]
    # Question labels are typed by organisers (or copied from anywhere): the header is neutralised like every cell.
    header += [question.label for question in questions]
    header += [f"consent: {question.label} (UTC)" for question in consent_questions]
    writer.writerow([neutralise(cell) for cell in header])
    for registration in registrations:
        person = registration.person
        row = [
            *_who(person),
            person.organisation.name if person.organisation else "",
            registration.status.value,
            registration.waitlist_position or "",
            _iso(registration.created_at),
            _iso(registration.confirmed_at),
            _iso(registration.cancelled_at),
        ]
        row += [answer_text(question, registration.answers) for question in questions]
        records = consents[registration.id]
        row += [consent_summary(latest_consent(records, question)) for question in consent_questions]
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + buffer.getvalue()


def _who(person: Person) -> tuple[str, str]:
    """The email and name cells: a stand-in (``privacy.stand_ins``) reads "Anonymised" (in the reader's language)
    with no address, as on the registrations page; its made-up address is nobody's."""
    if person.anonymised_at is not None:
        return "", str(_l("Anonymised"))
    return person.email, person.name


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""
