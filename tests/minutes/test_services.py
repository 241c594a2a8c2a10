"""Minutes rules: attendance, drafting from the agenda, versions and corrections, circulation and comments,
action-item reminders, and the Markdown export."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask_babel import refresh

from eventhub.agenda.services import publish_agenda, replace_agenda
from eventhub.demo.taskforce_meeting3 import agenda_input, load_meeting3_minutes, minutes_input
from eventhub.errors import Conflict, ValidationFailed
from eventhub.events.models import Event, Series
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.minutes import attendance, emails, publication, services
from eventhub.minutes.models import MinutesVersion
from eventhub.minutes.presenters import version_as_markdown
from tests.accounts.link_support import link_in


def outbox(kind: str) -> list[OutboxMessage]:
    return db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ).all()


def test_attendance_lists_registrants_and_members_and_marks_walk_ins(taskforce, now):
    event = taskforce.meeting3
    expected = attendance.expected_attendees(event)
    attendance.set_attendance(event, expected[:2], now)

    walk_in = attendance.add_walk_in(event, "jorgen@example.org", "Jørgen Galsøe", "Haderslev Kommune", now)
    attendance.add_walk_in(event, "JORGEN@example.org", "Jørgen Galsøe", None, now)  # twice changes nothing

    assert (
        walk_in.walk_in
        and [p.display_name for p in attendance.attendees_of(event)][-1] == "Jørgen Galsøe, Haderslev Kommune"
    )
    assert len(attendance.attendees_of(event)) == 3
    attendance.set_attendance(event, [expected[0]], now)
    assert attendance.attendees_of(event) == [expected[0]]


def test_the_draft_has_one_section_per_agenda_item_with_time_and_owner(taskforce, now):
    event = taskforce.meeting3
    replace_agenda(event, agenda_input(taskforce.people), now)

    body = services.draft_from_agenda(event, now).body

    assert body.startswith(
        "## 14.00–14.05 Velkommen og velkommen til eventuelt nye deltagere i Taskforcen\n\n*Medlem2 Efternavn, Sociale Entreprenører i Danmark*"
    )
    assert "Bordet rundt" not in body and "## 15.25–15.30 Afrunding" in body
    with pytest.raises(Conflict):
        services.draft_from_agenda(event, now)  # never overwrites text


def test_minutes_need_a_numbered_meeting_of_a_series(make_event, now):
    with pytest.raises(Conflict):
        services.update_minutes(make_event(), {"body": "x"}, now)


def test_links_may_be_as_long_as_their_column(taskforce, now):
    """Shared documents often have long links: the 500 characters of a web address field would refuse them."""
    long_link = "https://example.org/" + "x" * (2000 - len("https://example.org/"))
    deadline = {"title": "EU call", "date": "2022-12-07", "link": long_link}

    minutes = services.update_minutes(taskforce.meeting3, {"body": "x", "deadlines": [deadline]}, now)
    assert minutes.deadlines[0].link == long_link
    with pytest.raises(ValidationFailed) as failure:
        material = {"title": "Slides", "link": long_link + "x"}
        services.update_minutes(taskforce.meeting3, {"body": "x", "materials": [material]}, now)
    assert set(failure.value.fields) == {"materials[0].link"}


def test_structured_parts_are_checked_all_at_once(taskforce, now):
    with pytest.raises(ValidationFailed) as failure:
        services.update_minutes(taskforce.meeting3, {
            "body": "x",
            "deadlines": [{"title": "EU call", "date": "7 December"}, {"title": "", "date": "2023-02-14", "link": "javascript:alert(1)"}],
            "action_items": [{"what": "Send forslag", "due": "tomorrow"}],
            "round_table": [{"person": "not an email", "text": "x"}],
        }, now)  # fmt: skip

    assert set(failure.value.fields) == {
        "deadlines[0].date",
        "deadlines[1].title",
        "action_items[0].due",
        "round_table[0].person",
    }


def test_publishing_freezes_versions_and_corrections_keep_the_old_ones(taskforce, now):
    event = taskforce.meeting3
    services.update_minutes(event, minutes_input(taskforce.people), now)
    first = emails.publish_minutes(event, now, taskforce.secretary.person)
    with pytest.raises(Conflict):
        emails.publish_minutes(event, now, taskforce.secretary.person)  # nothing changed
    taskforce.people["KAB"].name = "Renamed Later"  # does not rewrite the published version
    services.update_minutes(
        event, {"body": minutes_input(taskforce.people)["body"].replace("kort opsummering", "opsummering")}, now
    )

    second = emails.publish_minutes(event, now + timedelta(days=1), taskforce.secretary.person, "Rettet antal")

    assert (first.number, second.number, second.change_note) == (1, 2, "Rettet antal")
    assert "Medlem4 Efternavn" in str(first.parts["attendees"])
    published = publication.get_published(taskforce.series, 3)
    assert (
        published.version.number == 2 and publication.get_published(taskforce.series, 3, 1).version.body == first.body
    )
    diff = publication.version_diff(published.minutes, second)
    assert diff.startswith("--- v1\n+++ v2") and "\n-Mødet blev rundet af med en kort opsummering" in diff
    assert len(outbox("minutes_published")) == 2 * 17  # the members, the secretary and the organiser


def test_the_archive_lists_newest_meeting_first(taskforce, now):
    for event in (taskforce.meeting3, taskforce.meeting4):
        services.update_minutes(event, {"body": f"Møde {event.number}"}, now)
        publication.publish_version(event, now, None)

    assert [entry.event.number for entry in publication.published_minutes_of(taskforce.series)] == [4, 3]


def test_circulating_emails_the_attendees_a_comment_link_once(taskforce, now):
    event = taskforce.meeting3
    services.update_minutes(
        event, {"body": "Udkast", "attendees": [taskforce.people["KAB"].email, taskforce.member.email]}, now
    )

    assert emails.circulate_minutes(event, now) == 2
    assert emails.circulate_minutes(event, now) == 0
    first = outbox("minutes_circulated")[0]
    link = link_in(first.body_text)  # personal: it signs the attendee in (most have no account)
    assert link.target == f"/events/{event.id}/minutes/comments" and link.person.email == first.recipient_email
    comment = services.add_comment(services.find_minutes(event), taskforce.member.person, "Tilføj Incita", now)
    assert services.comments_on(services.find_minutes(event)) == [comment]


def statements_after_a_fresh_start(count_queries, read) -> int:
    """Statements ``read()`` runs with nothing cached in the session, as on a new request."""
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as counter:
        read()
    return counter.count


def test_comments_come_with_their_authors_in_the_same_statements_for_any_number(taskforce, now, count_queries):
    event = taskforce.meeting3
    services.update_minutes(event, {"body": "Udkast"}, now)
    authors = list(taskforce.people.values())
    event_id = event.id

    def read() -> None:
        minutes = services.find_minutes(db.session.get(Event, event_id))
        assert all(c.person.display_name for c in services.comments_on(minutes))

    services.add_comment(services.find_minutes(event), authors[0], "Første", now)
    one = statements_after_a_fresh_start(count_queries, read)
    event = db.session.get(Event, event_id)
    for author in authors[1:10]:
        services.add_comment(services.find_minutes(event), author, "Enig", now)
    assert statements_after_a_fresh_start(count_queries, read) == one


def test_the_archive_loads_events_and_versions_in_the_same_statements_for_any_length(taskforce, now, count_queries):
    series_id, meeting_ids = taskforce.series.id, (taskforce.meeting3.id, taskforce.meeting4.id)

    def read() -> None:
        entries = publication.published_minutes_of(db.session.get(Series, series_id))
        assert all(entry.event.title and entry.minutes.versions for entry in entries)

    services.update_minutes(taskforce.meeting3, {"body": "Møde 3"}, now)
    publication.publish_version(taskforce.meeting3, now, None)
    one = statements_after_a_fresh_start(count_queries, read)
    meeting3, meeting4 = (db.session.get(Event, event_id) for event_id in meeting_ids)
    services.update_minutes(meeting3, {"body": "Møde 3, rettet"}, now)
    publication.publish_version(meeting3, now, None)
    services.update_minutes(meeting4, {"body": "Møde 4"}, now)
    publication.publish_version(meeting4, now, None)
    assert statements_after_a_fresh_start(count_queries, read) == one


def test_action_item_owners_are_reminded_two_days_before_once(taskforce, now):
    event = taskforce.meeting3
    owner = taskforce.people["Incita"]
    services.update_minutes(event, {"body": "x", "action_items": [
        {"what": "Send eksempler", "owner": owner.email, "due": "2022-12-07"},
        {"what": "Uden ejer-person", "owner": "Alle", "due": "2022-12-07"},
    ]}, now)  # fmt: skip
    publication.publish_version(event, now, None)
    at = lambda day, hour: datetime(2022, 12, day, hour, tzinfo=timezone.utc)  # noqa: E731

    assert emails.run_action_item_reminders(at(4, 12)) == 0  # three days before
    assert emails.run_action_item_reminders(at(5, 8)) == 1
    assert emails.run_action_item_reminders(at(6, 8)) == 0  # safe to run twice

    reminder = outbox("action_item_reminder")[0]
    assert reminder.recipient_email == owner.email and reminder.dedup_key.endswith(":2022-12-07")
    assert "Send eksempler" in reminder.subject


def test_unpublished_action_items_are_not_reminded(taskforce, now):
    services.update_minutes(taskforce.meeting3, {"body": "x", "action_items": [
        {"what": "Udkast", "owner": taskforce.member.email, "due": "2022-12-07"}]}, now)  # fmt: skip

    assert emails.run_action_item_reminders(datetime(2022, 12, 6, tzinfo=timezone.utc)) == 0


def test_markdown_export_has_every_part_in_order(app, taskforce, now):
    event = taskforce.meeting3
    replace_agenda(event, agenda_input(taskforce.people), now)
    publish_agenda(event, now)
    services.update_minutes(event, minutes_input(taskforce.people), now)
    version = publication.publish_version(event, now, None)

    with app.test_request_context("/?lang=da"):
        refresh()
        text = version_as_markdown(version.body, version.parts)

    order = ["# Buy Social Taskforce Danmark – 3. møde", "15. november 2022", "## Deltagere", "## Dagsorden", "14.00–14.05",
             "## Bordet rundt", "## Siden sidst", "## Beslutninger og prioriteringer", "## Deadlines", "7. december 2022",
             "## Relevante nyheder og materialer", "## Næste møde", "Januar 2023"]  # fmt: skip
    positions = [text.find(marker) for marker in order]
    assert -1 not in positions and positions == sorted(positions), list(zip(order, positions))


def test_markdown_export_in_english_has_24_hour_times_and_unambiguous_dates(app, taskforce, now):
    event = taskforce.meeting3
    replace_agenda(event, agenda_input(taskforce.people), now)
    publish_agenda(event, now)
    services.update_minutes(event, minutes_input(taskforce.people), now)
    version = publication.publish_version(event, now, None)

    with app.test_request_context("/?lang=en"):
        refresh()
        text = version_as_markdown(version.body, version.parts)

    assert "15 November 2022" in text and "14:00–14:05" in text and "7 December 2022" in text
    assert not re.search(r"\d[AP]M|\d\sPM|\b\d{1,2}/\d{1,2}/\d{2,4}\b", text), text


def test_markdown_download_is_an_attachment(client, taskforce, now, login):
    services.update_minutes(taskforce.meeting3, {"body": "# Referat"}, now)
    publication.publish_version(taskforce.meeting3, now, None)
    db.session.commit()
    login(taskforce.member)

    response = client.get("/series/buy-social-taskforce-danmark/minutes/3.md")

    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="buy-social-taskforce-danmark-3-v1.md"'


def test_demo_loader_for_meeting3_is_idempotent(taskforce, now):
    assert load_meeting3_minutes(taskforce.meeting3, now) is True
    assert load_meeting3_minutes(taskforce.meeting3, now) is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MinutesVersion)) == 1
    assert outbox("minutes_published") == []  # demo people are invented: no emails
