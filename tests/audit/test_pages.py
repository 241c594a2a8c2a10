"""The audit log's pages: an event's and a series' log (its events' entries included), with when (in the event's
zone), who, what and the changed fields in words; 50 entries a page, filtered by action; the CSV export, which is
formula-safe, keeps the filter and is itself recorded; exports of registrations and members are recorded too.
(Who may open them: tests/web/test_manage_permissions.py.)"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from eventhub.audit.log import record
from eventhub.audit.models import AuditAction
from eventhub.events.services import update_event
from eventhub.registration.invitations import invite_people
from eventhub.registration.invitee_lists import InviteeRow
from tests.audit.conftest import entries, only_entry
from tests.conftest import csrf_token_from
from tests.web.conftest import text_of, visible_text


@pytest.fixture
def signed_in(client, login, organiser, commit):
    commit()
    login(organiser)
    return client


def test_the_event_log_says_when_in_the_events_zone_who_what_and_each_change(
    signed_in, conference, organiser, now, commit
):
    update_event(conference, {"location": "Brno", "starts_at": "2027-01-02T10:00:00"}, now=now, actor=organiser)
    commit()

    page = visible_text(text_of(signed_in.get(f"/events/{conference.id}/manage/audit")))

    assert "23 Nov 2026, 13:00" in page  # 12:00 UTC, in Prague
    assert "olga@example.org Event moved BSI national conference Czech Republic" in page
    assert "Starts: 2 Jan 2027, 13:00 → 2 Jan 2027, 10:00" in page  # in the event's zone, as it was and is
    assert "Location: Brno" in page  # nothing before: only what it became
    assert "eventhub (no account) Event created" in page  # the factory made it: no account acted
    assert "Visibility: Public Invitation only: Yes" in page


def test_a_change_made_on_a_page_is_recorded_for_the_signed_in_organiser(signed_in, conference, organiser):
    form = signed_in.get(f"/events/{conference.id}/manage/cancel")
    response = signed_in.post(
        f"/events/{conference.id}/manage/cancel", data={"csrf_token": csrf_token_from(text_of(form))}
    )

    assert response.status_code == 302
    assert only_entry(AuditAction.EVENT_CANCELLED).actor_id == organiser.id
    assert "Event cancelled" in visible_text(text_of(signed_in.get(f"/events/{conference.id}/manage/audit")))


def test_fifty_entries_a_page_newest_first_and_the_filter_keeps_to_one_action(
    signed_in, conference, organiser, now, commit
):
    for minute in range(60):
        record(AuditAction.INVITATION_RESENT, actor=organiser, now=now + timedelta(minutes=minute), event=conference,
               subject=f"Invitee {minute}")  # fmt: skip
    record(AuditAction.EVENT_CANCELLED, actor=organiser, now=now, event=conference, fields={"status": ("x", "y")})
    commit()
    path = f"/events/{conference.id}/manage/audit"

    first = text_of(signed_in.get(path))
    assert first.count('<tr data-action="') == 50
    assert first.index("Invitee 59") < first.index("Invitee 58")  # newest first
    assert f'href="{path}?page=2"' in first
    second = text_of(signed_in.get(f"{path}?page=2"))
    assert second.count('<tr data-action="') == 12  # 10 resent, the cancellation and the creation
    only = text_of(signed_in.get(f"{path}?action=event.cancelled"))
    assert only.count('<tr data-action="event.cancelled"') == only.count('<tr data-action="') == 1
    unknown = text_of(signed_in.get(f"{path}?action=no.such"))  # an unknown action filters nothing
    assert unknown.count('<tr data-action="') == 50


def test_the_series_log_holds_its_own_and_its_events_entries_only(
    signed_in, conference, organiser, make_series, make_event, now, commit
):
    make_series(slug="other")
    elsewhere = make_event(title="Elsewhere", series="other")
    record(AuditAction.MEMBER_ADDED, actor=organiser, now=now, series=conference.series, subject="Lena <l@x.org>")
    record(AuditAction.EVENT_CANCELLED, actor=organiser, now=now, event=elsewhere, subject="Not here")
    commit()

    page = visible_text(text_of(signed_in.get("/series/bsi-cz/manage/audit")))

    assert "Member added Lena <l@x.org>" in page
    assert "Event created BSI national conference Czech Republic" in page
    assert "Not here" not in page and "Elsewhere" not in page


def test_the_csv_is_formula_safe_keeps_the_filter_and_records_its_download(
    signed_in, conference, organiser, now, commit
):
    record(AuditAction.INVITATION_RESENT, actor=organiser, now=now, event=conference, subject="=HYPERLINK(1)",
           fields={"send_count": (1, 2)})  # fmt: skip
    commit()

    response = signed_in.get(f"/events/{conference.id}/manage/audit.csv?action=invitation.resent")

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="audit-event-' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header == ["at", "who", "action", "what", "event", "subject", "changes", "fields"]
    assert rows == [[
        "2026-11-23T13:00:00+01:00", "olga@example.org", "invitation.resent", "Invitation resent",
        "BSI national conference Czech Republic", "'=HYPERLINK(1)", "Times sent: 1 → 2", '{"send_count": [1, 2]}',
    ]]  # fmt: skip
    download = only_entry(AuditAction.EXPORT_DOWNLOADED)
    assert (download.actor_id, download.event_id) == (organiser.id, conference.id)
    assert download.fields == {
        "file": [None, "audit.csv"],
        "rows": [None, 1],
        "filter_action": [None, "invitation.resent"],
    }


def test_the_series_csv_download_is_recorded_on_the_series(signed_in, conference, organiser):
    response = signed_in.get("/series/bsi-cz/manage/audit.csv")
    assert response.status_code == 200
    entry = only_entry(AuditAction.EXPORT_DOWNLOADED)
    assert (entry.actor_id, entry.series_id, entry.event_id) == (organiser.id, conference.series.id, None)


def test_downloading_registrations_and_members_is_recorded(signed_in, conference, organiser, now, commit):
    invite_people(conference, [InviteeRow(1, "anna@example.org", "Anna")], None, now)
    commit()
    assert signed_in.get(f"/events/{conference.id}/manage/registrations.csv").status_code == 200
    assert signed_in.get("/series/bsi-cz/manage/members.csv?role=organiser").status_code == 200

    registrations, members = entries(AuditAction.EXPORT_DOWNLOADED)
    assert (registrations.actor_id, registrations.event_id, registrations.fields) == (
        organiser.id, conference.id, {"file": [None, "registrations.csv"], "rows": [None, 0]}
    )  # fmt: skip
    assert (members.actor_id, members.series_id, members.fields) == (
        organiser.id, conference.series.id,
        {"file": [None, "members.csv"], "rows": [None, 1], "filter_role": [None, "organiser"]},
    )  # fmt: skip


def test_the_event_and_series_pages_link_their_logs(signed_in, conference):
    event_page = text_of(signed_in.get(f"/events/{conference.id}"))
    assert f'href="/events/{conference.id}/manage/audit"' in event_page
    assert 'href="/series/bsi-cz/manage/audit"' in text_of(signed_in.get("/series/bsi-cz"))
    assert 'href="/series/bsi-cz/manage/audit"' in text_of(signed_in.get("/series/bsi-cz/manage"))
    nav = text_of(signed_in.get(f"/events/{conference.id}/manage/audit"))
    assert f'href="/events/{conference.id}/manage/audit" aria-current="page"' in nav


def test_the_log_speaks_the_readers_language(signed_in, conference, organiser, now, commit):
    record(AuditAction.REGISTRATION_CHANGED, actor=organiser, now=now, event=conference,
           fields={"status": ("confirmed", "waitlisted")})  # fmt: skip
    commit()
    signed_in.get("/?lang=da")
    page = visible_text(text_of(signed_in.get(f"/events/{conference.id}/manage/audit")))
    assert "Revisionslog" in page and "Tilmelding ændret af en arrangør" in page
    assert "Status: bekræftet → venteliste" in page


def test_an_empty_filter_result_says_so(signed_in, conference):
    page = visible_text(text_of(signed_in.get(f"/events/{conference.id}/manage/audit?action=minutes.published")))
    assert "No entries of this kind." in page
