"""Names of the export's sections and the erasure's counts, as the admins' page shows them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

HELD = {
    "person": _l("Person (name, address, organisation, language)"),
    "account": _l("Account"),
    "registrations": _l("Registrations"),
    "consents": _l("Consents"),
    "invitations": _l("Invitations"),
    "invitation_requests": _l("Requests for an invitation"),
    "memberships": _l("Memberships of series"),
    "attendance": _l("Attendance"),
    "round_table": _l("Round-table entries"),
    "minutes_comments": _l("Comments on minutes"),
    "action_items": _l("Action items"),
    "agenda_items": _l("Agenda items"),
    "emails": _l("Emails sent to the address"),
    "emails_to_others_naming_you": _l("Emails to others naming the address"),
    "list_unsubscriptions": _l("Unsubscriptions from series mail"),
    "privacy_links": _l("Links from the privacy page"),
    "rate_limit_records": _l("Rate-limit records"),
    "audit_entries": _l("Audit log entries"),
}
ERASED = {
    "registrations_cancelled": _l("Registrations for upcoming events cancelled"),
    "registrations": _l("Registrations kept for the counts, without the person"),
    "invitations": _l("Invitations kept for the counts, without the person"),
    "invitation_requests": _l("Requests for an invitation deleted"),
    "memberships": _l("Memberships deleted"),
    "attendance": _l("Attendance kept for the counts, without the person"),
    "round_table": _l("Round-table entries kept, without the person"),
    "minutes_comments": _l("Comments on minutes deleted"),
    "published_minutes": _l("Published minutes without the name"),
    "action_items": _l("Action items without their owner"),
    "agenda_items": _l("Agenda items without their owner"),
    "emails_deleted": _l("Emails to the address deleted"),
    "emails_redacted": _l("Emails to others without the name and address"),
    "personal_links": _l("Personal links revoked"),
    "feed_tokens": _l("Calendar feed links deleted"),
    "api_tokens": _l("API tokens deleted"),
    "accounts": _l("Accounts deleted"),
    "do_not_send": _l("Do-not-send entries deleted"),
    "rate_limit_records": _l("Rate-limit records deleted"),
    "audit_entries": _l("Audit log entries without the identity"),
    "people": _l("People deleted"),
}


def labelled(counts: dict[str, int], labels: dict[str, object]) -> list[tuple[str, int]]:
    """The non-zero counts with their labels, in the labels' order."""
    return [(str(label), counts[key]) for key, label in labels.items() if counts.get(key)]
