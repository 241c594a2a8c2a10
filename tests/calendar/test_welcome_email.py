"""A new member's welcome email, read as a mail client reads it: which series they joined, a link to it, and their
personal calendar feed as webcal, Google Calendar and Outlook links that work (the feed has the series' events).
A member who has a feed link keeps it: the email says where to find it instead."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from eventhub.accounts import memberships
from eventhub.accounts.models import SignInLink
from eventhub.calendar.models import FeedToken
from eventhub.calendar.services import issue_feed_token
from eventhub.extensions import db
from eventhub.mail.message import OutgoingEmail, build_message
from eventhub.mail.models import OutboxMessage
from eventhub.tokens import hash_token

FEED = re.compile(r"webcal://eventhub\.test/feeds/[A-Za-z0-9_-]+\.ics")


@pytest.fixture
def organiser(make_organiser, working_group):
    return make_organiser(working_group)


@pytest.fixture
def working_group(make_series, make_event, now):
    series = make_series(slug="big-buyers-circular", title="Big Buyers: circular construction", visibility="members")
    make_event(title="Circular construction, 3rd call", series=series.slug, starts_at=now + timedelta(days=14))
    return series


def _welcome_to(address: str):
    """The queued welcome email as a mail client gets it (the MIME message the sender would write)."""
    row = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.kind == "member_welcome", OutboxMessage.recipient_email == address)
    )
    assert row is not None, f"no welcome email to {address}"
    raw = build_message(OutgoingEmail.from_row(row), "eventhub <eventhub@eventhub.test>", row.created_at)
    return message_from_bytes(raw, policy=policy.default)


def _parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


SIGN_IN = re.compile(r"http://eventhub\.test/sign-in/([A-Za-z0-9_-]+)")


def _personal_link_targets(text: str, html: str) -> set[str]:
    """Where the email's personal links lead: each signs its reader in (most members have no password), is the
    same in both parts, and is stored only hashed."""
    tokens = SIGN_IN.findall(text)
    assert tokens and set(tokens) == set(SIGN_IN.findall(html))
    links = [db.session.scalar(sa.select(SignInLink).where(SignInLink.token_hash == hash_token(t))) for t in tokens]
    assert all(link is not None and link.person.email == "anna@kk.dk" for link in links)
    return {link.target for link in links}


def test_a_new_member_gets_their_feed_as_webcal_google_and_outlook_links(organiser, working_group, client, now):
    memberships.add_member(organiser, working_group, "anna@kk.dk", "Anna Jensen", "KK", None, now)
    db.session.commit()

    message = _welcome_to("anna@kk.dk")
    text, html = _parts(message)
    assert message["Subject"] == "Welcome to Big Buyers: circular construction"
    assert message["Content-Language"] == "en"
    assert "You are now a member of Big Buyers: circular construction." in text
    assert _personal_link_targets(text, html) >= {"/series/big-buyers-circular"}
    [webcal] = set(FEED.findall(text))
    assert f'href="{webcal}"' in html
    feed_url = "http://" + webcal.removeprefix("webcal://")
    google = re.search(r"https://calendar\.google\.com/\S+", text)[0]
    outlook = re.search(r"https://outlook\.live\.com/\S+", text)[0]
    assert parse_qs(urlsplit(google).query)["cid"] == [webcal]
    assert parse_qs(urlsplit(outlook).query)["url"] == [feed_url]
    assert "Add to Google Calendar" in html and "Add to Outlook" in html

    feed = client.get(urlsplit(feed_url).path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert "SUMMARY:Circular construction\\, 3rd call" in feed.get_data(as_text=True)


def test_the_email_is_in_the_members_language(organiser, working_group, now):
    memberships.add_member(organiser, working_group, "anna@kk.dk", "Anna Jensen", None, "da", now)
    message = _welcome_to("anna@kk.dk")
    text, html = _parts(message)
    assert message["Subject"] == "Velkommen til Big Buyers: circular construction"
    assert message["Content-Language"] == "da"
    assert "Hej Anna Jensen" in text and '<html lang="da">' in html
    assert "Google Kalender" in html or "Google Calendar" in html


def test_an_existing_feed_link_is_kept_and_the_email_says_where_it_is(organiser, working_group, make_person, now):
    person = make_person(email="anna@kk.dk", name="Anna Jensen")
    token = issue_feed_token(person, now)
    memberships.add_member(organiser, working_group, "anna@kk.dk", None, None, None, now)

    assert db.session.scalar(sa.select(FeedToken.token_hash).where(FeedToken.person_id == person.id)) == hash_token(
        token
    )
    text, html = _parts(_welcome_to("anna@kk.dk"))
    assert "webcal://" not in text and "/feeds/" not in text and "/feeds/" not in html
    assert "now also in your personal calendar feed" in text
    assert "/account" in _personal_link_targets(text, html)


def test_a_list_welcomes_each_new_member_once(organiser, working_group, now):
    from eventhub.registration.invitee_lists import parse_invitee_text

    rows, _ = parse_invitee_text("anna@kk.dk\nbo@kk.dk; Bo; ; da")
    memberships.add_series_members(organiser, working_group, rows, now)
    memberships.add_series_members(organiser, working_group, rows, now)
    rows = db.session.execute(
        sa.select(OutboxMessage.recipient_email, OutboxMessage.dedup_key, OutboxMessage.headers)
        .where(OutboxMessage.kind == "member_welcome")
        .order_by(OutboxMessage.recipient_email)
    ).all()
    assert [(r.recipient_email, r.headers["Content-Language"]) for r in rows] == [
        ("anna@kk.dk", "en"),
        ("bo@kk.dk", "da"),
    ]
    assert all(r.dedup_key.startswith(f"member-welcome:{working_group.id}:") for r in rows)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 2


def test_no_second_welcome_when_removed_and_added_again(organiser, working_group, now):
    membership = memberships.add_member(organiser, working_group, "anna@kk.dk", None, None, None, now)
    memberships.remove_membership(organiser, membership)
    memberships.add_member(organiser, working_group, "anna@kk.dk", None, None, None, now)
    count = sa.select(sa.func.count()).where(OutboxMessage.kind == "member_welcome")
    assert db.session.scalar(count) == 1


def test_a_refused_add_leaves_no_email_and_no_feed_link(organiser, working_group, now):
    """The welcome email and the feed link are written in the membership's transaction: undone with it."""
    memberships.add_member(organiser, working_group, "anna@kk.dk", None, None, None, now)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 0


def test_members_added_through_the_api_are_welcomed(client, organiser_auth, working_group):
    headers = organiser_auth(working_group)
    response = client.post(
        "/api/v1/series/big-buyers-circular/members", json={"email": "anna@kk.dk", "name": "Anna"}, headers=headers
    )
    assert response.status_code == 201
    again = client.post("/api/v1/series/big-buyers-circular/members", json={"email": "anna@kk.dk"}, headers=headers)
    assert again.status_code == 200
    assert _parts(_welcome_to("anna@kk.dk"))[0].count("webcal://") == 1


def test_the_operator_adding_members_sends_nothing(working_group):
    """The command line and the demo loader (``add_series_member``) are not a person welcoming someone."""
    from eventhub.events.services import add_series_member

    add_series_member(working_group, "anna@kk.dk")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
