"""Input the database cannot take (ids beyond int4, NUL and other control characters) is refused with a 4xx,
never a 500; and the error page itself survives a failed transaction. Both backends: PostgreSQL is where
these used to break (it raises DataError for them; SQLite stores or compares them silently)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.registration import invitations
from eventhub.registration.invitee_lists import InviteeRow
from tests.conftest import csrf_token_from

BIG = 99_999_999_999


@pytest.fixture
def site(app, client, make_user, make_series, make_event, login):
    """An admin logged in on ``client``, a meeting of a series with an invitation, and the invitation's link."""
    admin = make_user("admin")
    series = make_series(slug="taskforce")
    starts = utcnow() + timedelta(days=60)  # the invitation pages read the wall clock
    event = make_event(series=series.slug, starts_at=starts, invitation_only=True)
    invitations.invite_people(event, [InviteeRow(1, "alice@example.org", "Alice", "", "")], None, utcnow())
    db.session.commit()
    body = db.session.scalar(
        sa.select(OutboxMessage.body_text).where(OutboxMessage.recipient_email == "alice@example.org")
    )
    token = re.search(r"/invitations/([A-Za-z0-9_-]+)", body).group(1)
    login(admin)
    csrf = csrf_token_from(client.get("/account").get_data(as_text=True))
    return {"event": event.id, "token": token, "csrf": csrf}


GETS = [
    "/events/{big}",
    "/events/{big}.ics",
    "/events/{big}/request-invitation",
    "/series/a%00b",
    "/series/a%00b.ics",
    "/series/a%00b/minutes",
]
POSTS = [
    ("/events/{event}/manage/invitations/{big}/revoke", {}),
    ("/events/{event}/manage/questions/{big}/delete", {}),
    ("/events/{event}/manage/requests/{big}/approve", {}),
    ("/account/tokens/{big}/revoke", {}),
    ("/admin/outbox/{big}/retry", {}),
    ("/account/tokens", {"name": "script\x00"}),
    ("/events/{event}/manage/questions", {"kind": "short_text", "label": "Diet\x00"}),
    ("/events/{event}/minutes/edit", {"body": "Decided\x00", "save": "1"}),
    (
        "/events/{event}/attendance",
        {"walkin-email": "walk@example.org", "walkin-name": "Walk\x00In", "walkin-add": "1"},
    ),
    ("/invitations/{token}", {"name": "Al\x00ice", "organisation": ""}),
    ("/invitations/{token}", {"name": "Alice", "organisation": "Org\x00X"}),
]


@pytest.mark.parametrize("path", GETS)
def test_impossible_ids_and_slugs_are_not_found(client, site, path):
    assert client.get(path.format(big=BIG, **site)).status_code == 404


@pytest.mark.parametrize(("path", "data"), POSTS)
def test_impossible_ids_and_nul_in_forms_are_refused_not_a_server_error(client, site, path, data):
    fields = {"csrf_token": site["csrf"], "walkin-csrf_token": site["csrf"], **data}
    response = client.post(path.format(big=BIG, **site), data=fields)
    # 200 is a form shown again with its errors; what matters is that nothing was accepted and nothing broke.
    assert response.status_code in (200, 400, 404, 422), response.get_data(as_text=True)[:500]
    assert "\x00" not in "".join(db.session.scalars(sa.select(Person.name)))


def test_nul_in_the_login_address_is_a_form_error(app):
    anonymous = app.test_client()
    csrf = csrf_token_from(anonymous.get("/login").get_data(as_text=True))
    response = anonymous.post("/login", data={"csrf_token": csrf, "email": "a\x00b@example.org", "password": "x" * 12})
    assert response.status_code == 200
    assert "control characters" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "name", ["Alice\x0bBcc: x@evil.example", "Alice\x0cX", "Ali\x1cce", "Ali\x85ce", "Alice\u2028X"]
)
def test_registration_with_a_name_that_would_jam_the_mail_sender_is_refused(client, site, name):
    csrf = csrf_token_from(client.get(f"/invitations/{site['token']}").get_data(as_text=True))
    response = client.post(f"/invitations/{site['token']}", data={"csrf_token": csrf, "name": name, "organisation": ""})
    assert response.status_code == 422
    assert "must not contain control characters" in response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["name", "organisation"])
def test_request_for_an_invitation_with_such_a_name_is_refused(app, site, field):
    from eventhub.errors import ValidationFailed
    from eventhub.events.services import get_event
    from eventhub.registration.invitation_requests import RequestInput, submit_request

    data = {"name": "Mallory", "email": "mallory@example.org", field: "Mallory\x0cX-Evil: 1"}
    with pytest.raises(ValidationFailed) as refused:
        submit_request(get_event(site["event"]), RequestInput(**data), "192.0.2.1", utcnow())
    assert refused.value.fields == {field: "must not contain control characters or line breaks"}


def test_error_page_after_a_database_error_renders_for_a_logged_in_user(app, client, make_user, login):
    """The handler rolls the failed transaction back first: the page itself queries (the user's person for
    the language menu), which a session in need of a rollback refuses."""

    def broken():
        db.session.add(Person(email="broken@example.org", name=None))  # NOT NULL: the flush fails
        db.session.flush()

    app.add_url_rule("/test-broken", "test_broken", broken)
    login(make_user("member"))
    response = client.get("/test-broken")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
