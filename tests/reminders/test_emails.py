"""The reminder email: the reader's language, the event's local time, the links and the unsubscribe headers."""

from datetime import datetime, timedelta, timezone

from eventhub.mail.models import OutboxStatus
from eventhub.reminders.planner import run_planner
from eventhub.reminders.services import person_for_unsubscribe_token

# Tuesday 1 December 2026, 14:00–15:30 in Copenhagen (CET, UTC+1).
START = datetime(2026, 12, 1, 13, 0, tzinfo=timezone.utc)


def _queued_reminder(make_event, make_registration, reminders, **person_fields):
    event = make_event(
        title="Buy Social Taskforce Danmark, 4. møde",
        starts_at=START,
        ends_at=START + timedelta(minutes=90),
        location="Erhvervsstyrelsen, Langelinie Allé 17, København",
        online_url="https://meet.example.org/bstd-4",
        reminder_offsets=[1440],
    )
    registration = make_registration(event, **person_fields)
    assert run_planner(START - timedelta(days=1)) == 1
    (row,) = reminders(OutboxStatus.QUEUED)
    return event, registration, row


def test_danish_reader_gets_danish_text_and_copenhagen_time(make_event, make_registration, reminders):
    event, _, row = _queued_reminder(make_event, make_registration, reminders, language="da", name="Mette Jensen")
    when = "tirsdag den 1. december 2026 14.00–15.30 (København)"
    assert row.language == "da"
    assert row.subject == f"Påmindelse: Buy Social Taskforce Danmark, 4. møde, {when}"
    for body in (row.body_text, row.body_html):
        assert "Hej Mette Jensen," in body
        assert "Dette er en påmindelse om, at du er tilmeldt:" in body
        assert when in body
        assert "Langelinie Allé 17" in body
        assert "https://meet.example.org/bstd-4" in body
        assert f"http://eventhub.test/events/{event.id}" in body
        assert "Stop påmindelser" in body


def test_english_reader_gets_english_text_in_the_event_time_zone(make_event, make_registration, reminders):
    _, _, row = _queued_reminder(make_event, make_registration, reminders, language="en", name="Ada Smith")
    assert "Tuesday, 1 December 2026 14:00–15:30 (Copenhagen)" in row.body_text
    assert "PM" not in row.body_text
    assert row.subject.startswith("Reminder: ")  # the subject's spaces are plain ones (render_email folds them)
    assert row.subject.endswith("Tuesday, 1 December 2026 14:00–15:30 (Copenhagen)")
    assert "Hello Ada Smith," in row.body_text
    assert "This is a reminder that you are registered for:" in row.body_html


def test_html_body_escapes_what_people_typed(make_event, make_registration, reminders):
    _, _, row = _queued_reminder(make_event, make_registration, reminders, name="<b>Eve</b>")
    assert "&lt;b&gt;Eve&lt;/b&gt;" in row.body_html
    assert "<b>Eve</b>" not in row.body_html
    assert "Hello <b>Eve</b>," in row.body_text


def test_reminder_carries_one_click_unsubscribe_headers(make_event, make_registration, reminders):
    _, registration, row = _queued_reminder(make_event, make_registration, reminders)
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = row.headers["List-Unsubscribe"]
    assert link.startswith("<http://eventhub.test/reminders/unsubscribe/") and link.endswith(">")
    token = link[1:-1].rsplit("/", 1)[1]
    assert person_for_unsubscribe_token(token) == registration.person
    assert link[1:-1] in row.body_text and link[1:-1] in row.body_html


def test_an_event_over_several_days_names_both_days(make_event, make_registration, reminders):
    event = make_event(starts_at=START, ends_at=START + timedelta(days=1, hours=3), reminder_offsets=[60])
    make_registration(event)
    run_planner(START - timedelta(hours=1))
    (row,) = reminders()
    assert "Tuesday, 1 December 2026 14:00 – Wednesday, 2 December 2026 17:00 (Copenhagen)" in row.body_text


def test_each_reader_gets_their_own_name_and_link(make_event, make_registration, reminders):
    event = make_event(starts_at=START, reminder_offsets=[60])
    first = make_registration(event, name="Mette Jensen", language="da")
    second = make_registration(event, name="Lars [[eventhub:unsubscribe]] & Co", language="da")
    run_planner(START - timedelta(hours=1))
    by_person = {row.person_id: row for row in reminders()}
    assert "Hej Mette Jensen," in by_person[first.person_id].body_text
    assert "Lars [[eventhub:unsubscribe]] & Co" in by_person[second.person_id].body_text
    assert "Lars [[eventhub:unsubscribe]] &amp; Co" in by_person[second.person_id].body_html
    links = {row.headers["List-Unsubscribe"] for row in by_person.values()}
    assert len(links) == 2
    for row in by_person.values():
        assert row.headers["List-Unsubscribe"][1:-1] in row.body_text


def test_the_database_fills_stencils_as_python_does(make_event, make_registration, reminders):
    """On PostgreSQL the planner has the database fill the stencils in (one INSERT ... SELECT); elsewhere Python
    fills them. Either way each row is what ``ReminderStencil.fill`` makes of it."""
    from eventhub.reminders.emails import reminder_headers, reminder_stencil

    event = make_event(title='Møde <1> & "Q"', starts_at=START, reminder_offsets=[60])
    names = ["Mette Jensen", "Lars [[eventhub:unsubscribe]] & Co", 'Ann [[eventhub:name]] <b>\\"x"</b>']
    for number, name in enumerate(names):
        make_registration(event, name=name, language=("da", "en", "pl")[number])
    assert run_planner(START - timedelta(hours=1)) == 3
    for row in reminders():
        link = row.headers["List-Unsubscribe"][1:-1]
        expected = reminder_stencil(event, row.language).fill(row.recipient_name, link)
        assert (row.subject, row.body_text, row.body_html) == (expected.subject, expected.text, expected.html)
        assert row.headers == reminder_headers(link)
        assert row.attachments == [] and row.status == OutboxStatus.QUEUED and row.message_id.startswith("<")
