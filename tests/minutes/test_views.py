"""The editing pages work through their forms: agenda rows, attendance with a walk-in, comments on a draft."""

from __future__ import annotations

from eventhub.agenda.services import find_agenda
from eventhub.minutes import services
from eventhub.minutes.attendance import attendees_of
from tests.conftest import csrf_token_from


def outbox(kind: str) -> list:
    import sqlalchemy as sa

    from eventhub.extensions import db
    from eventhub.mail.models import OutboxMessage

    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def token(client, path: str) -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_agenda_editor_saves_rows_and_shows_item_errors(client, taskforce, login):
    login(taskforce.secretary)
    path = f"/events/{taskforce.meeting3.id}/agenda/edit"
    row = {"items-0-title": "Velkommen", "items-0-day": "2022-11-15", "items-0-starts_at": "14:00",
           "items-0-ends_at": "14:05", "items-0-kind": "welcome", "items-0-owner": "Per Bach", "items-1-title": "",
           "publish": "1"}  # fmt: skip

    saved = client.post(path, data={**row, "csrf_token": token(client, path)})
    bad = client.post(path, data={**row, "items-0-ends_at": "16:00", "csrf_token": token(client, path)})

    assert saved.status_code == 302
    agenda = find_agenda(taskforce.meeting3)
    assert agenda.is_published and [i.title for i in agenda.items] == ["Velkommen"]
    assert bad.status_code == 200 and "Item 1: Ends after the event ends" in bad.get_data(as_text=True)
    event_page = client.get(f"/events/{taskforce.meeting3.id}").get_data(as_text=True)
    assert 'id="agenda-heading"' in event_page and "Velkommen" in event_page and "Per Bach" in event_page


def test_attendance_ticks_and_walk_ins(client, taskforce, login):
    login(taskforce.secretary)
    path = f"/events/{taskforce.meeting3.id}/attendance"
    kab = taskforce.people["KAB"]

    client.post(
        path,
        data={
            "att-present": [str(kab.id)],
            "att-save": "1",
            "att-csrf_token": token(client, path),
            "csrf_token": token(client, path),
        },
    )
    client.post(path, data={"walkin-email": "jorgen@example.org", "walkin-name": "Jørgen Galsøe", "walkin-organisation": "Haderslev Kommune",
                            "walkin-add": "1", "walkin-csrf_token": token(client, path), "csrf_token": token(client, path)})  # fmt: skip

    assert [p.display_name for p in attendees_of(taskforce.meeting3)] == [
        kab.display_name,
        "Jørgen Galsøe, Haderslev Kommune",
    ]


def test_a_member_comments_on_a_circulated_draft_and_the_secretary_reads_it(client, taskforce, login, now):
    services.update_minutes(taskforce.meeting3, {"body": "Udkast til referat"}, now)
    services.mark_circulated(services.find_minutes(taskforce.meeting3), now)
    from eventhub.extensions import db

    db.session.commit()
    login(taskforce.member)
    path = f"/events/{taskforce.meeting3.id}/minutes/comments"
    page = client.get(path).get_data(as_text=True)
    assert "Udkast til referat" in page

    client.post(path, data={"body": "Husk Incita", "csrf_token": csrf_token_from(page)})
    client.post("/logout", data={"csrf_token": token(client, "/")})
    login(taskforce.secretary)

    assert "Husk Incita" in client.get(f"/events/{taskforce.meeting3.id}/minutes/edit").get_data(as_text=True)


def test_publishing_asks_first_saying_how_many_members_are_emailed(client, taskforce, login, now):
    from eventhub.extensions import db
    from eventhub.mail.lists import unsubscribe_from_series

    services.update_minutes(taskforce.meeting3, {"body": "Referat af mødet"}, now)
    members = len(taskforce.series.memberships)
    unsubscribe_from_series(taskforce.series.memberships[0].person, taskforce.series)  # not emailed, not counted
    db.session.commit()
    login(taskforce.secretary)
    path = f"/events/{taskforce.meeting3.id}/minutes/publish"

    editor = client.get(f"/events/{taskforce.meeting3.id}/minutes/edit").get_data(as_text=True)
    asked = client.get(path)

    assert f'href="{path}"' in editor and 'action="' + path not in editor  # the editor links, it does not post
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and f"Publishing emails {members - 1} members of the series." in page
    assert "becomes version 1" in page and services.find_minutes(taskforce.meeting3).published_version == 0
    assert outbox("minutes_published") == []

    published = client.post(path, data={"csrf_token": csrf_token_from(page)})

    assert published.status_code == 302 and published.headers["Location"].endswith("/minutes/3")
    assert services.find_minutes(taskforce.meeting3).published_version == 1
    assert len(outbox("minutes_published")) == members - 1
