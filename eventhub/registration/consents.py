"""Consent on record: each consent box ticked is kept with the exact text the person read, the question's version
and the language of the form, and unticking it records the withdrawal instead of forgetting the consent.

The text comes from the form that was shown (``ShownForm``), not from the question: a question may be reworded
later, and the form may show it in a translation. Callers without a form (the demo) record the question as
written (``as_written``). Functions flush, never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.registration.models import ConsentRecord, Question, QuestionKind, Registration


@dataclass(frozen=True)
class ShownText:
    """A consent question as the form displayed it: its label and the help text under it."""

    label: str
    help_text: str = ""


@dataclass(frozen=True)
class ShownForm:
    """What a registration form displayed: its language and, by question id, the text of each consent question."""

    language: str
    texts: dict[int, ShownText] = field(default_factory=dict)

    def text_of(self, question: Question) -> ShownText:
        """The text shown for ``question``; the question as written if the form did not say (it was added while
        the form was being filled in, and so was never shown)."""
        return self.texts.get(question.id) or ShownText(question.label, question.help_text or "")


def as_written(language: str) -> ShownForm:
    """A form that showed every question as written, in ``language`` (for callers without a form)."""
    return ShownForm(language)


def is_given(answers: dict[str, Any] | None, question: Question) -> bool:
    return (answers or {}).get(str(question.id)) is True


def record_consents(
    registration: Registration,
    questions: list[Question],
    before: dict[str, Any],
    after: dict[str, Any],
    shown: ShownForm,
    now: datetime,
) -> list[ConsentRecord]:
    """Record each consent box ticked now that was not ticked in ``before`` (a new record, with the text shown and
    the question's current version), and withdraw the open records of each box not ticked in ``after``.

    At registration ``before`` is empty: the box was offered unticked, so a tick is a new act even when an earlier
    registration of the same person had one. Returns the new records."""
    given = []
    for question in questions:
        if question.kind != QuestionKind.CONSENT:
            continue
        if is_given(after, question) and not is_given(before, question):
            given.append(_give(registration, question, shown, now))
        elif not is_given(after, question):
            withdraw_consent(registration, question, now)
    db.session.flush()
    return given


def _give(registration: Registration, question: Question, shown: ShownForm, now: datetime) -> ConsentRecord:
    text = shown.text_of(question)
    record = ConsentRecord(
        registration=registration,
        person_id=registration.person_id,
        question_id=question.id,
        question_version=question.version,
        label=text.label,
        help_text=text.help_text,
        language=shown.language,
        given_at=now,
    )
    db.session.add(record)
    return record


def withdraw_consent(registration: Registration, question: Question, now: datetime) -> int:
    """Mark the registration's open consents to ``question`` withdrawn at ``now``; returns how many there were."""
    open_records = db.session.scalars(
        sa.select(ConsentRecord).where(
            ConsentRecord.registration_id == registration.id,
            ConsentRecord.question_id == question.id,
            ConsentRecord.withdrawn_at.is_(None),
        )
    ).all()
    for record in open_records:
        record.withdrawn_at = now
    return len(open_records)


def consents_of(registration: Registration) -> list[ConsentRecord]:
    """The registration's consents, oldest first."""
    return consents_by_registration([registration.id]).get(registration.id, [])


def consents_by_registration(registration_ids: Iterable[int]) -> dict[int, list[ConsentRecord]]:
    """The consents of many registrations in one query (lists and exports), each list oldest first."""
    ids = list(registration_ids)
    found: dict[int, list[ConsentRecord]] = defaultdict(list)
    if not ids:
        return found
    query = (
        sa.select(ConsentRecord)
        .where(ConsentRecord.registration_id.in_(ids))
        .order_by(ConsentRecord.given_at, ConsentRecord.id)
    )
    for record in db.session.scalars(query):
        found[record.registration_id].append(record)
    return found


def latest_consent(records: list[ConsentRecord], question: Question) -> ConsentRecord | None:
    """The most recent record for ``question`` among ``records`` (oldest first): what stands now."""
    return next((record for record in reversed(records) if record.question_id == question.id), None)


def consent_summary(record: ConsentRecord | None) -> str:
    """A record in one cell of the CSV export, in UTC like the export's other instants: "given v2 2027-01-03 14:05",
    "withdrawn v2 2027-02-01 09:30", or "" without a record."""
    if record is None:
        return ""
    if record.withdrawn_at is not None:
        return f"withdrawn v{record.question_version} {_minute(record.withdrawn_at)}"
    return f"given v{record.question_version} {_minute(record.given_at)}"


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def consent_json(record: ConsentRecord) -> dict[str, Any]:
    """A record as the API and the personal-data export show it (instants in ISO 8601, UTC)."""
    return {
        "question_id": record.question_id,
        "version": record.question_version,
        "text": record.label,
        "help_text": record.help_text,
        "language": record.language,
        "given_at": record.given_at.isoformat(),
        "withdrawn_at": record.withdrawn_at.isoformat() if record.withdrawn_at else None,
    }


def consent_records_of(person: Person) -> list[dict[str, Any]]:
    """Every consent ``person`` gave on registrations that are still theirs, JSON-ready, oldest first, each with its
    event (the personal-data export). Read through the registration: once an event is anonymised its
    registrations belong to stand-ins, and so do their consents."""
    query = (
        sa.select(ConsentRecord)
        .join(Registration, ConsentRecord.registration_id == Registration.id)
        .where(Registration.person_id == person.id, ConsentRecord.person_id == person.id)
        .order_by(ConsentRecord.given_at, ConsentRecord.id)
    )
    return [
        {
            "registration_id": record.registration_id,
            "event_id": record.registration.event_id,
            "event": record.registration.event.title,
            **consent_json(record),
        }
        for record in db.session.scalars(query)
    ]


def align_consents_with_registrations(event_id: int) -> int:
    """Give each consent of the event's registrations the person its registration now names: when retention puts
    a stand-in in a registration (``privacy.retention``), the consents given on it go with the registration, so
    no row links the person to the event any more while the count of consents stays. Returns how many moved."""
    registrations = sa.select(Registration.id).where(Registration.event_id == event_id)
    current = (
        sa.select(Registration.person_id).where(Registration.id == ConsentRecord.registration_id).scalar_subquery()
    )
    statement = (
        sa.update(ConsentRecord)
        .where(ConsentRecord.registration_id.in_(registrations), ConsentRecord.person_id != current)
        .values(person_id=current)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).rowcount or 0
