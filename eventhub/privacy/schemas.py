"""The API bodies of /api/v1/people: the export document (as ``privacy.export`` writes it) and erasure counts.

Instants are ISO 8601 strings in UTC as the export writes them; a field without a value is ``null``.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from eventhub.api.types import Email, InputModel, OutputModel, QueryModel

When = str | None


class AddressQuery(QueryModel):
    email: Email = Field(description="The address whose data to export")


class AddressInput(InputModel):
    email: Email = Field(description="The address whose data to erase")


class ExportedEventRef(OutputModel):
    id: int
    title: str
    starts_at: When


class ExportedSeriesRef(OutputModel):
    slug: str
    title: str


class ExportedPersonDetails(OutputModel):
    name: str
    email: str
    organisation: str | None
    language: str | None
    timezone: str
    reminders_enabled: bool
    created_at: When
    updated_at: When


class ExportedAccount(OutputModel):
    exists: bool
    role: str | None
    active: bool | None
    has_password: bool | None
    created_at: When
    last_login_at: When


class ExportedApiTokenInfo(OutputModel):
    name: str
    created_at: When
    last_used_at: When
    revoked_at: When


class ExportedFeedToken(OutputModel):
    exists: bool
    created_at: When
    rotated_at: When


class ExportedSignInLinkCounts(OutputModel):
    sign_in: int
    set_password: int
    personal: int


class ExportedDoNotSend(OutputModel):
    reason: str
    detail: str
    since: When


class ExportedAnswer(OutputModel):
    question: str | None = Field(description="The question's text; null when it was deleted since")
    answer: Any


class ExportedRegistration(OutputModel):
    event: ExportedEventRef | None
    status: str
    registered_at: When
    confirmed_at: When
    cancelled_at: When
    answers: list[ExportedAnswer]
    has_self_service_link: bool


class ExportedInvitation(OutputModel):
    event: ExportedEventRef | None
    status: str
    invited_at: When
    last_sent_at: When
    send_count: int
    responded_at: When
    revoked_at: When


class ExportedInvitationRequest(OutputModel):
    event: ExportedEventRef | None
    name: str
    organisation: str
    message: str
    case_description: str
    status: str
    sent_at: When
    decided_at: When


class ExportedMembership(OutputModel):
    series: ExportedSeriesRef
    role: str
    since: When


class ExportedAttendance(OutputModel):
    event: ExportedEventRef | None
    walk_in: bool


class ExportedRoundTableEntry(OutputModel):
    event: ExportedEventRef | None
    text: str


class ExportedMinutesComment(OutputModel):
    event: ExportedEventRef | None
    body: str
    written_at: When


class ExportedActionItem(OutputModel):
    event: ExportedEventRef | None
    what: str
    due_on: When


class ExportedAgendaItem(OutputModel):
    event: ExportedEventRef | None
    title: str
    starts_at: When


class ExportedEmail(OutputModel):
    queued_at: When
    sent_at: When
    kind: str
    subject: str
    status: str


class ExportedEmailMention(OutputModel):
    queued_at: When
    kind: str
    status: str


class ExportedListUnsubscription(OutputModel):
    series_id: int
    since: When


class ExportedPrivacyLink(OutputModel):
    created_at: When
    expires_at: When


class ExportedRateLimitRecord(OutputModel):
    scope: str
    at: When


class ExportedAuditRecord(OutputModel):
    at: When
    action: str


class PersonExport(OutputModel):
    """Everything eventhub holds about one address; every list is empty and ``person`` null for an unknown one."""

    email: str
    exported_at: str
    person: ExportedPersonDetails | None
    account: ExportedAccount
    api_tokens: list[ExportedApiTokenInfo]
    feed_token: ExportedFeedToken
    sign_in_links: ExportedSignInLinkCounts
    do_not_send: ExportedDoNotSend | None
    registrations: list[ExportedRegistration]
    consents: list[dict[str, Any]] = Field(description="Consents given: the text and version shown, and when")
    invitations: list[ExportedInvitation]
    invitation_requests: list[ExportedInvitationRequest]
    memberships: list[ExportedMembership]
    attendance: list[ExportedAttendance]
    round_table: list[ExportedRoundTableEntry]
    minutes_comments: list[ExportedMinutesComment]
    action_items: list[ExportedActionItem]
    agenda_items: list[ExportedAgendaItem]
    emails: list[ExportedEmail] = Field(description="Emails to the address: dates, subject and status, never the body")
    emails_to_others_naming_you: list[ExportedEmailMention]
    list_unsubscriptions: list[ExportedListUnsubscription]
    privacy_links: list[ExportedPrivacyLink] = Field(
        description="Links asked for on the privacy page (never the token)"
    )
    rate_limit_records: list[ExportedRateLimitRecord]
    audit_entries: list[ExportedAuditRecord]


class ErasureCounts(OutputModel):
    """How many rows of each kind one erasure changed; all zero for an address eventhub does not know."""

    registrations_cancelled: int
    registrations: int
    invitations: int
    invitation_requests: int
    memberships: int
    attendance: int
    round_table: int
    minutes_comments: int
    published_minutes: int
    action_items: int
    agenda_items: int
    emails_deleted: int
    emails_redacted: int
    personal_links: int
    feed_tokens: int
    api_tokens: int
    accounts: int
    do_not_send: int
    rate_limit_records: int
    audit_entries: int
    people: int
