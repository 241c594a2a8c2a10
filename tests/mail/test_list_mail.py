"""Mail to all members of a series is list mail: List-Id and a working one-click List-Unsubscribe (RFC 8058),
read back from the built message with ``email.policy.strict``."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

import sqlalchemy as sa

from eventhub.agenda.emails import run_agenda_notifications
from eventhub.agenda.services import publish_agenda, replace_agenda
from eventhub.extensions import db
from eventhub.mail.message import OutgoingEmail, build_message
from eventhub.mail.models import ListUnsubscription, OutboxMessage
from eventhub.minutes import emails as minutes_emails
from eventhub.minutes import services as minutes_services
from eventhub.registration.models import Registration, RegistrationStatus

STRICT = policy.strict.clone(linesep="\r\n")


def outbox(kind: str) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def parsed(row: OutboxMessage, now):
    raw = build_message(OutgoingEmail.from_row(row), "eventhub <eventhub@example.org>", now)
    return message_from_bytes(raw, policy=STRICT)


def link_path(message) -> str:
    # A long link is folded onto a line of its own; unfolding leaves the folding white space, which readers skip.
    return message["List-Unsubscribe"].strip().strip("<>").removeprefix("http://eventhub.test")


def publish(taskforce, now, body: str):
    minutes_services.update_minutes(taskforce.meeting3, {"body": body}, now)
    minutes_emails.publish_minutes(taskforce.meeting3, now, taskforce.secretary.person)
    db.session.commit()


def test_published_minutes_carry_list_id_and_a_one_click_unsubscribe_that_works(client, taskforce, now):
    publish(taskforce, now, "Referat.")
    rows = outbox("minutes_published")
    member = taskforce.member.person
    [row] = [row for row in rows if row.person_id == member.id]
    message = parsed(row, now)

    assert message["List-Id"] == '"Buy Social Taskforce Danmark" <buy-social-taskforce-danmark.eventhub.test>'
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_all("Auto-Submitted") == ["auto-generated"]
    path = link_path(message)
    assert path.startswith("/mail/unsubscribe/")

    assert client.get(path).status_code == 200  # a mail scanner following the link changes nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ListUnsubscription)) == 0
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200  # twice is fine

    publish(taskforce, now + timedelta(days=1), "Referat, rettet.")
    second = [row for row in outbox("minutes_published") if row not in rows]
    assert second and member.id not in {row.person_id for row in second}
    assert len(second) == len(rows) - 1


def test_a_tampered_unsubscribe_link_is_not_found(client, taskforce, now):
    publish(taskforce, now, "Referat.")
    path = link_path(parsed(outbox("minutes_published")[0], now))
    assert client.post(path[:-2] + "xx", data={"List-Unsubscribe": "One-Click"}).status_code == 404


def test_agenda_changes_of_a_series_meeting_are_list_mail(taskforce, make_event, make_person, now):
    start = (now + timedelta(days=10)).replace(hour=13, minute=0)
    event = make_event(series=taskforce.series.slug, number=5, starts_at=start, ends_at=start + timedelta(hours=2))
    person = make_person(email="reg@example.org")
    db.session.add(Registration(event=event, person=person, status=RegistrationStatus.CONFIRMED))
    replace_agenda(event, [{"starts_at": start, "ends_at": start + timedelta(minutes=30), "title": "Velkomst"}], now)
    publish_agenda(event, now)
    replace_agenda(event, [{"starts_at": start, "ends_at": start + timedelta(minutes=30), "title": "Ny velkomst"}], now)

    assert run_agenda_notifications(now + timedelta(hours=1)) == 1

    message = parsed(outbox("agenda_changed")[0], now)
    assert message["List-Id"].endswith("<buy-social-taskforce-danmark.eventhub.test>")
    assert link_path(message).startswith("/mail/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
