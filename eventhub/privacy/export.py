"""Everything eventhub holds about an email address, as one JSON document (the right of access, GDPR Art. 15).

What each row holds is written out, never a secret: tokens (feed, API, registration, invitation, sign-in) appear as
"exists" with their dates, never their hashes; emails by date, subject and status, never their bodies (which hold
working links). An address eventhub does not know gives the same document with every section empty.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from eventhub.accounts.models import ApiToken, LinkPurpose, SignInLink, User
from eventhub.agenda.models import Agenda, AgendaItem
from eventhub.audit.log import record
from eventhub.audit.models import AuditAction
from eventhub.calendar.models import FeedToken
from eventhub.events.models import Event, Person, SeriesMembership
from eventhub.extensions import db
from eventhub.mail.models import ListUnsubscription, OutboxMessage
from eventhub.minutes.models import ActionItem, Attendance, Minutes, MinutesComment, RoundTableEntry
from eventhub.privacy import holdings
from eventhub.privacy.models import PrivacyLink
from eventhub.registration.consents import consent_records_of
from eventhub.registration.models import Invitation, Question, Registration

SECTIONS = (
    "registrations", "consents", "invitations", "invitation_requests", "memberships", "attendance",
    "round_table", "minutes_comments", "action_items", "agenda_items", "emails", "emails_to_others_naming_you",
    "list_unsubscriptions", "privacy_links", "rate_limit_records", "audit_entries",
)  # fmt: skip


def export_address(email: str, now: datetime, actor: User | None) -> dict[str, Any]:
    """The export of ``email`` (see ``personal_data``), recorded in the audit log as PERSON_EXPORTED with the
    number of items per section (never the address: an unknown one must not be stored by asking). Flushes."""
    data = personal_data(email, now)
    person = holdings.person_with_address(data["email"]) if data["email"] else None
    counts = {name: len(data[name]) for name in SECTIONS if data[name]}
    record(AuditAction.PERSON_EXPORTED, actor=actor, now=now, person=person, fields=_as_changes(counts))
    db.session.flush()
    return data


def _as_changes(counts: dict[str, int]) -> dict[str, tuple[None, int]]:
    return {name: (None, count) for name, count in counts.items()}


def personal_data(email: str, now: datetime) -> dict[str, Any]:
    """The document: the person, their account and tokens, and every section of ``SECTIONS``. Reads only."""
    address = holdings.normalized_address(email)
    person = holdings.person_with_address(address) if address else None
    user = holdings.account_of(person)
    data: dict[str, Any] = {
        "email": address or "",
        "exported_at": now.isoformat(),
        "person": _person(person),
        "account": _account(user),
        "api_tokens": _api_tokens(user),
        "feed_token": _feed_token(person),
        "sign_in_links": _sign_in_links(person),
        "do_not_send": _suppression(address),
    }
    data.update({name: [] for name in SECTIONS})
    if address is None:
        return data
    data["invitation_requests"] = [_request(row) for row in holdings.requests_from(address)]
    data["emails"] = _emails(address, person)
    mentions = holdings.emails_to_others_mentioning(address, person)
    data["emails_to_others_naming_you"] = [_mention(row) for row in mentions]
    data["privacy_links"] = [
        {"created_at": _iso(link.created_at), "expires_at": _iso(link.expires_at)}
        for link in db.session.scalars(sa.select(PrivacyLink).where(holdings.privacy_links_of(address)))
    ]
    data["rate_limit_records"] = [
        {"scope": row.scope, "at": _iso(row.attempted_at)} for row in holdings.rate_limit_attempts(address)
    ]
    data["audit_entries"] = [
        {"at": _iso(entry.at), "action": entry.action} for entry in holdings.audit_entries_about(address, person, user)
    ]
    if person is not None:
        data.update(_rows_of(person))
    return data


def _rows_of(person: Person) -> dict[str, list[dict[str, Any]]]:
    """The sections whose rows point at the person by id."""
    return {
        "registrations": [_registration(row) for row in _of(Registration, Registration.person_id, person)],
        "consents": consent_records_of(person),
        "invitations": [_invitation(row) for row in _of(Invitation, Invitation.person_id, person)],
        "memberships": [
            {
                "series": {"slug": m.series.slug, "title": m.series.title},
                "role": m.role.value,
                "since": _iso(m.created_at),
            }
            for m in _of(SeriesMembership, SeriesMembership.person_id, person)
        ],
        "attendance": [
            {"event": _event(db.session.get(Event, a.event_id)), "walk_in": a.walk_in}
            for a in _of(Attendance, Attendance.person_id, person)
        ],
        "round_table": [
            {"event": _event(entry.minutes.event), "text": entry.text}
            for entry in _of(RoundTableEntry, RoundTableEntry.person_id, person)
        ],
        "minutes_comments": [
            {"event": _event(_minutes_event(c.minutes_id)), "body": c.body, "written_at": _iso(c.created_at)}
            for c in _of(MinutesComment, MinutesComment.person_id, person)
        ],
        "action_items": [
            {"event": _event(item.minutes.event), "what": item.what, "due_on": _iso(item.due_on)}
            for item in _of(ActionItem, ActionItem.owner_person_id, person)
        ],
        "agenda_items": [
            {"event": _event(_agenda_event(item.agenda_id)), "title": item.title, "starts_at": _iso(item.starts_at)}
            for item in _of(AgendaItem, AgendaItem.owner_person_id, person)
        ],
        "list_unsubscriptions": [
            {"series_id": row.series_id, "since": _iso(row.created_at)}
            for row in _of(ListUnsubscription, ListUnsubscription.person_id, person)
        ],
    }


def _of(model: type, column: sa.ColumnElement[int | None], person: Person) -> list[Any]:
    return list(db.session.scalars(sa.select(model).where(column == person.id).order_by(model.id)))


def _person(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {
        "name": person.name,
        "email": person.email,
        "organisation": person.organisation.name if person.organisation else None,
        "language": person.language,
        "timezone": person.timezone,
        "reminders_enabled": person.reminders_enabled,
        "created_at": _iso(person.created_at),
        "updated_at": _iso(person.updated_at),
    }


def _account(user: User | None) -> dict[str, Any]:
    if user is None:
        return {"exists": False, "role": None, "active": None, "has_password": None, "created_at": None,
                "last_login_at": None}  # fmt: skip
    return {
        "exists": True,
        "role": user.role.value,
        "active": user.active,
        "has_password": user.password_hash is not None,
        "created_at": _iso(user.created_at),
        "last_login_at": _iso(user.last_login_at),
    }


def _api_tokens(user: User | None) -> list[dict[str, Any]]:
    if user is None:
        return []
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    return [
        {"name": t.name, "created_at": _iso(t.created_at), "last_used_at": _iso(t.last_used_at),
         "revoked_at": _iso(t.revoked_at)}
        for t in tokens
    ]  # fmt: skip


def _feed_token(person: Person | None) -> dict[str, Any]:
    token = db.session.scalar(sa.select(FeedToken).where(FeedToken.person_id == person.id)) if person else None
    if token is None:
        return {"exists": False, "created_at": None, "rotated_at": None}
    return {"exists": True, "created_at": _iso(token.created_at), "rotated_at": _iso(token.rotated_at)}


def _sign_in_links(person: Person | None) -> dict[str, int]:
    """How many one-time links of each kind exist for the person (never which)."""
    counts = dict.fromkeys((purpose.value for purpose in LinkPurpose), 0)
    if person is not None:
        purposes = db.session.scalars(sa.select(SignInLink.purpose).where(SignInLink.person_id == person.id))
        counts.update(Counter(purpose.value for purpose in purposes))
    return counts


def _suppression(address: str | None) -> dict[str, Any] | None:
    entry = holdings.suppression_of(address) if address else None
    if entry is None:
        return None
    return {"reason": entry.reason.value, "detail": entry.detail, "since": _iso(entry.created_at)}


def _registration(registration: Registration) -> dict[str, Any]:
    return {
        "event": _event(registration.event),
        "status": registration.status.value,
        "registered_at": _iso(registration.created_at),
        "confirmed_at": _iso(registration.confirmed_at),
        "cancelled_at": _iso(registration.cancelled_at),
        "answers": _answers(registration.answers or {}),
        "has_self_service_link": registration.manage_token_hash is not None,
    }


def _answers(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Each answer with the question's text (None when the question was deleted since)."""
    ids = [int(key) for key in answers if key.isdigit()]
    labels = dict(db.session.execute(sa.select(Question.id, Question.label).where(Question.id.in_(ids))).all())
    return [
        {"question": labels.get(int(key)) if key.isdigit() else None, "answer": value} for key, value in answers.items()
    ]


def _invitation(invitation: Invitation) -> dict[str, Any]:
    return {
        "event": _event(invitation.event),
        "status": invitation.status.value,
        "invited_at": _iso(invitation.created_at),
        "last_sent_at": _iso(invitation.last_sent_at),
        "send_count": invitation.send_count,
        "responded_at": _iso(invitation.responded_at),
        "revoked_at": _iso(invitation.revoked_at),
    }


def _request(request: Any) -> dict[str, Any]:
    return {
        "event": _event(request.event),
        "name": request.name,
        "organisation": request.organisation,
        "message": request.message,
        "case_description": request.case_description,
        "status": request.status.value,
        "sent_at": _iso(request.created_at),
        "decided_at": _iso(request.decided_at),
    }


def _emails(address: str, person: Person | None) -> list[dict[str, Any]]:
    """Emails to the address: when, what about, what became of them; the bodies stay out (they hold links)."""
    columns = (
        OutboxMessage.created_at, OutboxMessage.sent_at, OutboxMessage.kind, OutboxMessage.subject,
        OutboxMessage.status,
    )  # fmt: skip
    query = sa.select(*columns).where(holdings.emails_to(address, person)).order_by(OutboxMessage.id)
    return [
        {"queued_at": _iso(queued), "sent_at": _iso(sent), "kind": kind, "subject": subject, "status": status.value}
        for queued, sent, kind, subject, status in db.session.execute(query)
    ]


def _mention(message: OutboxMessage) -> dict[str, Any]:
    """An email to someone else that names the address: only that it exists (its content is the reader's)."""
    return {"queued_at": _iso(message.created_at), "kind": message.kind, "status": message.status.value}


def _event(event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {"id": event.id, "title": event.title, "starts_at": _iso(event.starts_at)}


def _minutes_event(minutes_id: int) -> Event | None:
    query = sa.select(Event).join(Minutes, Minutes.event_id == Event.id).where(Minutes.id == minutes_id)
    return db.session.scalar(query)


def _agenda_event(agenda_id: int) -> Event | None:
    return db.session.scalar(sa.select(Event).join(Agenda, Agenda.event_id == Event.id).where(Agenda.id == agenda_id))


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None
