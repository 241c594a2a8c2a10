"""What each enum value is called on pages and in forms, in the reader's language.

Stored values (``waitlisted``, ``short_text``) are identifiers, not words: templates print ``value|label`` and
forms build their choices from these tables, so a value is named once and translated once.
"""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import SelectChoice

from eventhub.accounts.models import Role
from eventhub.agenda.models import AgendaItemKind
from eventhub.audit.models import AuditAction
from eventhub.events.models import EventKind, EventStatus, MembershipRole
from eventhub.i18n import EVENT_KIND_NAMES
from eventhub.mail.models import OutboxStatus, SuppressionReason
from eventhub.registration.models import InvitationStatus, QuestionKind, RegistrationStatus, RequestStatus

EVENT_KIND = {kind: EVENT_KIND_NAMES[kind.value] for kind in EventKind}  # calendars name them too (i18n)
ROLE = {
    Role.ADMIN: _l("Administrator"),
    Role.ORGANISER: _l("Organiser"),
    Role.SECRETARY: _l("Secretary"),
    Role.MEMBER: _l("Member"),
}
MEMBERSHIP_ROLE = {
    MembershipRole.MEMBER: _l("Member"),
    MembershipRole.SECRETARY: _l("Secretary"),
    MembershipRole.ORGANISER: _l("Organiser"),
}
INVITATION_STATUS = {
    InvitationStatus.PENDING: _l("pending"),
    InvitationStatus.REGISTERED: _l("registered"),
    InvitationStatus.DECLINED: _lp("invitation status", "declined"),
    InvitationStatus.REVOKED: _l("revoked"),
    InvitationStatus.EXPIRED: _l("expired"),
}
REGISTRATION_STATUS = {
    RegistrationStatus.CONFIRMED: _l("confirmed"),
    RegistrationStatus.WAITLISTED: _l("waiting list"),
    RegistrationStatus.CANCELLED: _lp("registration status", "cancelled"),
}
REQUEST_STATUS = {
    RequestStatus.PENDING: _l("awaiting decision"),
    RequestStatus.APPROVED: _l("approved"),
    RequestStatus.DECLINED: _lp("request status", "declined"),
}
QUESTION_KIND = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.SINGLE_CHOICE: _l("Single choice"),
    QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.YES_NO: _l("Yes/no"),
    QuestionKind.CONSENT: _l("Consent"),
}
OUTBOX_STATUS = {
    OutboxStatus.QUEUED: _l("queued"),
    OutboxStatus.SENDING: _l("sending"),
    OutboxStatus.SENT: _l("sent"),
    OutboxStatus.FAILED: _l("failed"),
    OutboxStatus.CANCELLED: _lp("email status", "cancelled"),
}
SUPPRESSION_REASON = {
    SuppressionReason.REJECTED: _l("refused by the receiving server"),
    SuppressionReason.BOUNCED: _l("bounced"),
}
AGENDA_ITEM_KIND = {
    AgendaItemKind.WELCOME: _l("Welcome"),
    AgendaItemKind.ROUND_TABLE: _l("Round table"),
    AgendaItemKind.PRESENTATION: _l("Presentation"),
    AgendaItemKind.DISCUSSION: _l("Discussion"),
    AgendaItemKind.BREAK: _l("Break"),
    AgendaItemKind.WRAP_UP: _l("Wrap-up"),
    AgendaItemKind.OTHER: _l("Other"),
}
EVENT_STATUS = {
    EventStatus.SCHEDULED: _lp("event status", "scheduled"),
    EventStatus.CANCELLED: _lp("event status", "cancelled"),
}
# What an audit entry records, as the log's "What" column and its filter say it.
AUDIT_ACTION = {
    AuditAction.EVENT_CREATED: _l("Event created"),
    AuditAction.EVENT_UPDATED: _l("Event changed"),
    AuditAction.EVENT_MOVED: _l("Event moved"),
    AuditAction.EVENT_CANCELLED: _l("Event cancelled"),
    AuditAction.SERIES_CREATED: _l("Series created"),
    AuditAction.SERIES_UPDATED: _l("Series changed"),
    AuditAction.INVITATIONS_SENT: _l("Invitations sent"),
    AuditAction.INVITATION_RESENT: _l("Invitation resent"),
    AuditAction.INVITATION_REVOKED: _l("Invitation revoked"),
    AuditAction.REQUEST_DECIDED: _l("Request for an invitation decided"),
    AuditAction.REGISTRATION_CHANGED: _l("Registration changed by an organiser"),
    AuditAction.MEMBER_ADDED: _l("Member added"),
    AuditAction.MEMBER_REMOVED: _l("Member removed"),
    AuditAction.ORGANISER_APPOINTED: _l("Organiser appointed"),
    AuditAction.ORGANISER_DISMISSED: _l("Organiser dismissed"),
    AuditAction.AGENDA_PUBLISHED: _l("Agenda published"),
    AuditAction.AGENDA_UNPUBLISHED: _l("Agenda hidden"),
    AuditAction.MINUTES_CIRCULATED: _l("Draft minutes circulated"),
    AuditAction.MINUTES_PUBLISHED: _l("Minutes published"),
    AuditAction.MATERIAL_ADDED: _l("Material added"),
    AuditAction.MATERIAL_REPLACED: _l("Material replaced"),
    AuditAction.MATERIAL_REMOVED: _l("Material removed"),
    AuditAction.ROLE_CHANGED: _l("Account role changed"),
    AuditAction.ACCOUNT_CREATED: _l("Account created"),
    AuditAction.ACCOUNT_DEACTIVATED: _l("Account deactivated"),
    AuditAction.ACCOUNT_REACTIVATED: _l("Account reactivated"),
    AuditAction.EXPORT_DOWNLOADED: _l("Export downloaded"),
    AuditAction.PERSON_EXPORTED: _l("Personal data exported"),
    AuditAction.PERSON_ERASED: _l("Personal data erased"),
    AuditAction.RETENTION_APPLIED: _l("Retention period applied"),
}
BY_ENUM: dict[type[enum.Enum], dict[Any, Any]] = {
    EventKind: EVENT_KIND,
    Role: ROLE,
    MembershipRole: MEMBERSHIP_ROLE,
    InvitationStatus: INVITATION_STATUS,
    RegistrationStatus: REGISTRATION_STATUS,
    RequestStatus: REQUEST_STATUS,
    QuestionKind: QUESTION_KIND,
    OutboxStatus: OUTBOX_STATUS,
    AgendaItemKind: AGENDA_ITEM_KIND,
    SuppressionReason: SUPPRESSION_REASON,
    EventStatus: EVENT_STATUS,
    AuditAction: AUDIT_ACTION,
}


def label(value: enum.Enum) -> Any:
    """The reader's word for ``value`` (the ``label`` template filter). Raises KeyError for an enum without
    labels here, so a new enum or value fails its page's test instead of showing an identifier."""
    return BY_ENUM[type(value)][value]


def choices(labels: dict[Any, Any]) -> list[SelectChoice]:
    """``labels`` as a SelectField's choices (stored value, label), in the table's order."""
    return [SelectChoice(value.value, text) for value, text in labels.items()]
