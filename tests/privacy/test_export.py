"""The export holds everything eventhub keeps about an address: every row a scan of every text column finds for
it is represented, and every row that points at the person by id is there with what it holds."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.extensions import db
from eventhub.privacy.export import SECTIONS, export_address, personal_data
from tests.fixtures.scan import rows_mentioning
from tests.privacy.conftest import ADDRESS, NAME, ORGANISATION, count


def _row(table: str, key: Any) -> dict[str, Any]:
    table_ = db.metadata.tables[table]
    primary = next(iter(table_.primary_key.columns))
    return dict(db.session.execute(sa.select(table_).where(primary == key)).mappings().one())


def _represented(table: str, row: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether the export shows the scanned row (each table's rows by what they hold, never by an internal id)."""
    iso = lambda value: value.isoformat() if value is not None else None  # noqa: E731
    if table == "people":
        return data["person"]["email"] == row["email"] and data["person"]["name"] == row["name"]
    if table == "invitation_requests":
        return any(r["message"] == row["message"] and r["name"] == row["name"] for r in data["invitation_requests"])
    if table == "outbox_messages":
        to_them = {(e["subject"], e["queued_at"]) for e in data["emails"]}
        naming = {(e["kind"], e["queued_at"]) for e in data["emails_to_others_naming_you"]}
        return (row["subject"], iso(row["created_at"])) in to_them or (row["kind"], iso(row["created_at"])) in naming
    if table == "suppressed_addresses":
        return data["do_not_send"] is not None and data["do_not_send"]["detail"] == row["detail"]
    if table == "rate_limit_attempts":
        return {"scope": row["scope"], "at": iso(row["attempted_at"])} in data["rate_limit_records"]
    if table == "privacy_links":
        return {"created_at": iso(row["created_at"]), "expires_at": iso(row["expires_at"])} in data["privacy_links"]
    if table == "audit_entries":
        return {"at": iso(row["at"]), "action": row["action"]} in data["audit_entries"]
    return False


def test_every_row_that_mentions_the_address_is_in_the_export(anna, now):
    data = personal_data(ADDRESS, now)

    found = rows_mentioning(ADDRESS)
    tables = {table for table, _column, _key in found}
    assert {"people", "invitation_requests", "outbox_messages", "suppressed_addresses", "rate_limit_attempts",
            "privacy_links", "audit_entries"} <= tables  # fmt: skip
    missing = [(t, c, k) for t, c, k in found if not _represented(t, _row(t, k), data)]
    assert missing == []


def test_rows_that_point_at_the_person_are_in_the_export_with_what_they_hold(anna, now):
    data = personal_data(ADDRESS.upper(), now)

    assert data["person"] | {"created_at": None, "updated_at": None} == {
        "name": NAME, "email": ADDRESS, "organisation": ORGANISATION, "language": None,
        "timezone": "Europe/Brussels", "reminders_enabled": True, "created_at": None, "updated_at": None,
    }  # fmt: skip
    assert data["account"]["exists"] is True and data["account"]["role"] == "member"
    assert [t["name"] for t in data["api_tokens"]] == ["my script"]
    assert data["feed_token"]["exists"] is True and "token" not in str(data["feed_token"]).replace("feed_token", "")
    assert data["sign_in_links"] == {"sign_in": 1, "set_password": 0, "personal": 0}
    by_event = {r["event"]["title"]: r for r in data["registrations"]}
    assert by_event["BSI national conference"]["status"] == "confirmed"
    assert by_event["BSI national conference"]["answers"] == [
        {"question": "Dietary needs", "answer": "vegetarian, no nuts"}
    ]
    assert set(by_event) == {"BSI national conference", "BSI working meeting"}
    assert [i["status"] for i in data["invitations"]] == ["registered"]
    assert [(m["series"]["slug"], m["role"]) for m in data["memberships"]] == [("bsi", "member")]
    assert [(a["event"]["title"], a["walk_in"]) for a in data["attendance"]] == [("BSI working meeting", False)]
    assert [r["text"] for r in data["round_table"]] == ["Kraków buys from social enterprises."]
    assert [c["body"] for c in data["minutes_comments"]] == ["A typo in the second item."]
    assert [(a["what"], a["due_on"]) for a in data["action_items"]] == [("Send the tender template", "2026-12-10")]
    assert [a["title"] for a in data["agenda_items"]] == ["Social clauses in Kraków"]
    assert [u["series_id"] for u in data["list_unsubscriptions"]] == [anna.series.id]
    assert "Reminder: BSI national conference" in {e["subject"] for e in data["emails"]}
    assert {e["kind"] for e in data["emails_to_others_naming_you"]} >= {"request_digest"}


def test_no_secret_and_no_email_body_is_exported(anna, now):
    text = str(personal_data(ADDRESS, now))

    assert "See you soon" not in text  # a body
    assert anna.user.password_hash not in text
    assert all(len(word) < 40 for word in text.replace("'", " ").split())  # no token, hash or digest


def test_an_unknown_address_gets_the_same_document_with_nothing_in_it(anna, now):
    known, unknown = personal_data(ADDRESS, now), personal_data("nobody@example.org", now)

    assert set(unknown) == set(known)
    assert unknown["person"] is None and unknown["account"]["exists"] is False
    assert all(unknown[name] == [] for name in SECTIONS)
    assert set(unknown["account"]) == set(known["account"]) and set(unknown["feed_token"]) == set(known["feed_token"])


def test_an_export_is_recorded_without_the_address(anna, now):
    naming_her = count(AuditEntry, AuditEntry.subject.contains(ADDRESS))  # the world's own entries
    export_address(ADDRESS, now, anna.organiser)
    export_address("nobody@example.org", now, anna.organiser)

    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.PERSON_EXPORTED)).all()
    organiser = anna.organiser.id
    assert [(e.actor_id, e.person_id) for e in entries] == [(organiser, anna.person.id), (organiser, None)]
    assert entries[0].fields["registrations"] == [None, 2]
    assert "nobody" not in str([(e.subject, e.fields, e.actor_label) for e in entries])
    assert count(AuditEntry, AuditEntry.subject.contains(ADDRESS)) == naming_her  # no new entry names her
