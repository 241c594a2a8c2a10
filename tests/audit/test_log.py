"""The audit log's core: an entry per change with actor and changed fields, and no way to edit or delete one
through the ORM except for the retention job and erasure (``rewriting_history``)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.audit.log import AuditLogIsAppendOnly, changes, record, rewriting_history, snapshot
from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.extensions import db


def test_an_entry_names_the_actor_the_event_its_series_and_the_changed_fields(make_user, make_series, make_event, now):
    organiser = make_user("organiser", email="olga@example.org")
    series = make_series("bsi-pl")
    event = make_event(series=series.slug)
    before = snapshot(event, ("title", "capacity"))
    event.title, event.capacity = "Moved conference", 80
    entry = record(
        AuditAction.EVENT_UPDATED, actor=organiser, now=now, event=event,
        fields=changes(before, snapshot(event, ("title", "capacity"))),
    )  # fmt: skip
    db.session.flush()

    stored = db.session.get(AuditEntry, entry.id)
    assert (stored.action, stored.actor_id, stored.actor_label) == ("event.updated", organiser.id, "olga@example.org")
    assert (stored.event_id, stored.series_id, stored.at) == (event.id, series.id, now)
    assert stored.fields == {"title": [before["title"], "Moved conference"], "capacity": [before["capacity"], 80]}


def test_only_changed_fields_are_kept_and_values_become_json():
    from datetime import UTC, datetime

    moved = datetime(2027, 3, 16, 9, 0, tzinfo=UTC)
    assert changes({"a": 1, "b": moved}, {"a": 1, "b": moved}) == {}
    assert changes({"a": 1}, {"a": 2, "b": None}) == {"a": (1, 2)}


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda entry: db.session.execute(sa.update(AuditEntry).values(subject="forged")),
        lambda entry: db.session.execute(sa.delete(AuditEntry)),
        lambda entry: (setattr(entry, "subject", "forged"), db.session.flush()),
        lambda entry: (db.session.delete(entry), db.session.flush()),
    ],
    ids=["update statement", "delete statement", "changed instance", "deleted instance"],
)
def test_entries_cannot_be_changed_or_deleted(rewrite, now, app):
    entry = record(AuditAction.EXPORT_DOWNLOADED, actor=None, now=now, subject="registrations.csv")
    db.session.flush()
    with pytest.raises(AuditLogIsAppendOnly):
        rewrite(entry)
    db.session.rollback()


def test_the_retention_job_may_rewrite_history(now, app):
    entry = record(AuditAction.MEMBER_ADDED, actor=None, now=now, subject="Anna Nowak <anna@example.org>")
    db.session.flush()
    with rewriting_history():
        entry.subject = ""
        db.session.flush()
        db.session.execute(sa.delete(AuditEntry).where(AuditEntry.id == entry.id))
    assert db.session.get(AuditEntry, entry.id) is None


def test_the_data_scan_finds_an_address_in_plain_and_json_columns(make_person, now):
    from tests.fixtures.scan import rows_mentioning

    person = make_person("Zofia.Scan@example.org", "Zofia Scan")
    record(AuditAction.MEMBER_ADDED, actor=None, now=now, fields={"email": (None, "zofia.scan@example.org")})
    db.session.flush()
    found = {(table, column) for table, column, _ in rows_mentioning("zofia.scan@example.org")}
    assert found == {("people", "email"), ("audit_entries", "fields")}
    assert person.id in {key for table, _, key in rows_mentioning("Zofia Scan") if table == "people"}


def test_forgetting_a_person_keeps_the_action_and_drops_who(make_person, make_user, now):
    from eventhub.audit.log import forget_person
    from tests.fixtures.scan import rows_mentioning

    anna = make_person("anna.forget@example.org", "Anna Forget")
    organiser = make_user("organiser", email="olga.keeps@example.org")
    about = record(
        AuditAction.MEMBER_ADDED, actor=organiser, now=now, person=anna,
        subject="Anna Forget <anna.forget@example.org>", fields={"email": (None, "anna.forget@example.org")},
    )  # fmt: skip
    batch = record(
        AuditAction.INVITATIONS_SENT,
        actor=organiser,
        now=now,
        fields={"emails": (None, ["x@example.org", "anna.forget@example.org"])},
    )
    db.session.flush()

    assert forget_person(anna.id, None, [anna.email, anna.name]) == 2
    assert (about.action, about.person_id, about.subject, about.actor_label) == (
        "member.added",
        None,
        "",
        "olga.keeps@example.org",
    )
    assert batch.fields == {"emails": [None, ["x@example.org", "(erased)"]]}
    assert [row for row in rows_mentioning("anna.forget") if row[0] == "audit_entries"] == []
