"""The unsubscribe link: GET only asks; the form POST (with CSRF) and the RFC 8058 one-click POST turn off."""

import pytest

from eventhub.extensions import db
from eventhub.reminders.services import unsubscribe_token
from tests.conftest import csrf_token_from


@pytest.fixture
def person(make_person):
    """Committed, as a real person would be: a failed request rolls back what it finds uncommitted."""
    person = make_person(email="mette@example.org")
    db.session.commit()
    return person


@pytest.fixture
def url(person):
    return f"/reminders/unsubscribe/{unsubscribe_token(person.id)}"


def _reminders_enabled(person) -> bool:
    db.session.expire(person)
    return person.reminders_enabled


def test_get_asks_and_changes_nothing(client, person, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "mette@example.org" in page and 'name="csrf_token"' in page
    assert _reminders_enabled(person)


def test_the_form_turns_reminders_off(client, person, url):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 200
    assert "Reminders stopped" in response.get_data(as_text=True)
    assert not _reminders_enabled(person)


def test_a_form_post_without_csrf_changes_nothing(client, person, url):
    response = client.post(url, data={"submit": "Stop reminders"})
    assert response.status_code == 400
    assert _reminders_enabled(person)


def test_one_click_post_turns_reminders_off(client, person, url):
    response = client.post(url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not _reminders_enabled(person)


def test_one_click_post_as_multipart_works_too(client, person, url):
    response = client.post(url, data={"List-Unsubscribe": "One-Click"}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert not _reminders_enabled(person)


@pytest.mark.parametrize("body", ["List-Unsubscribe=One-Click&extra=1", "List-Unsubscribe=Yes", ""])
def test_anything_but_the_exact_one_click_body_needs_csrf(client, person, url, body):
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert _reminders_enabled(person)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_not_found(client, person, url, method):
    tampered = url[:-2] + ("AA" if not url.endswith("AA") else "BB")
    response = getattr(client, method)(
        tampered, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 404
    assert _reminders_enabled(person)


def test_a_token_signed_for_something_else_is_not_found(app, client, person):
    from itsdangerous import Signer

    forged = Signer(app.config["SECRET_KEY"], salt="another-purpose").sign(str(person.id).encode()).decode()
    assert client.get(f"/reminders/unsubscribe/{forged}").status_code == 404


def test_unsubscribing_cancels_queued_reminders(client, person, url, make_event, now):
    from datetime import timedelta

    from eventhub.mail.models import OutboxStatus
    from eventhub.registration.services import register
    from eventhub.reminders.planner import run_planner

    event = make_event(starts_at=now + timedelta(minutes=10), reminder_offsets=[5])
    register(event, person, now)
    run_planner(now + timedelta(minutes=5))
    client.post(url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    from eventhub.mail.models import OutboxMessage

    db.session.expire_all()
    assert [row.status for row in db.session.scalars(db.select(OutboxMessage))] == [OutboxStatus.CANCELLED]


def test_the_page_speaks_danish(client, url):
    response = client.get(url + "?lang=da")
    assert "Stop påmindelser om arrangementer?" in response.get_data(as_text=True)
