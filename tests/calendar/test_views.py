"""Who gets which feed (the permission matrix), personal feed links on the account page, and subscribe links."""

from __future__ import annotations

import re

import pytest

from eventhub.extensions import db
from tests.conftest import csrf_token_from

VIEWERS = ("anonymous", "member", "series_member", "organiser", "admin")


@pytest.fixture
def world(make_series, make_event, make_user, add_member):
    """A public and a members-only series, each with a public and a members-only event, and one user per viewer."""
    make_series(slug="open")
    closed = make_series(slug="closed", visibility="members")
    events = {
        ("open", "public"): make_event(series="open"),
        ("open", "members"): make_event(series="open", visibility="members"),
        ("closed", "members"): make_event(series="closed"),
        ("closed", "public"): make_event(series="closed", visibility="public"),
    }
    users = {
        "member": make_user("member"),
        "series_member": make_user("member"),
        "organiser": make_user("organiser"),
        "admin": make_user("admin"),
    }
    add_member(closed, users["series_member"].person)
    db.session.commit()
    return events, users


# (series, event visibility) -> viewers who get 200
EVENT_FEED = {
    ("open", "public"): set(VIEWERS),
    ("open", "members"): {"organiser", "admin"},
    ("closed", "members"): {"series_member", "organiser", "admin"},
    ("closed", "public"): {"series_member", "organiser", "admin"},
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("which", list(EVENT_FEED), ids=lambda w: "-".join(w))
def test_event_feed_permissions(client, world, login, frozen_clock, viewer, which):
    events, users = world
    if viewer != "anonymous":
        login(users[viewer])

    response = client.get(f"/events/{events[which].id}.ics")

    assert response.status_code == (200 if viewer in EVENT_FEED[which] else 404)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("slug, status", [("open", 200), ("closed", 404), ("missing", 404)])
def test_series_feed_is_for_public_series_only(client, world, login, frozen_clock, viewer, slug, status):
    """Members-only series have no feed for anyone, even their members and admins: they use their own feed."""
    if viewer != "anonymous":
        login(world[1][viewer])

    assert client.get(f"/series/{slug}.ics").status_code == status


def test_members_only_event_feed_is_private(client, world, login, frozen_clock):
    events, users = world
    login(users["series_member"])

    assert (
        client.get(f"/events/{events[('closed', 'members')].id}.ics").headers["Cache-Control"] == "private, max-age=300"
    )


def test_unknown_token_is_404(client, frozen_clock, app):
    assert client.get("/feeds/not-a-token.ics").status_code == 404


def test_account_page_creates_shows_once_and_rotates_the_feed_link(client, make_user, login, frozen_clock):
    user = make_user("member")
    login(user)
    page = client.get("/account").get_data(as_text=True)
    assert "Create my feed link" in page and "/feeds/" not in page

    created = client.post("/account/feed/rotate", data={"csrf_token": csrf_token_from(page)})
    first_url = feed_url_in(created.get_data(as_text=True))

    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    assert client.get(first_url).status_code == 200
    account = client.get("/account").get_data(as_text=True)
    assert "Make a new feed link" in account and "/feeds/" not in account  # never shown again

    rotated = client.post("/account/feed/rotate", data={"csrf_token": csrf_token_from(account)})
    second_url = feed_url_in(rotated.get_data(as_text=True))

    assert second_url != first_url
    assert client.get(first_url).status_code == 404
    assert client.get(second_url).status_code == 200


def feed_url_in(html: str) -> str:
    match = re.search(r'<code id="feed-url">http://eventhub\.test(/feeds/[A-Za-z0-9_-]{43}\.ics)</code>', html)
    assert match, html
    assert f"webcal://eventhub.test{match.group(1)}" in html
    return match.group(1)


def test_token_is_stored_only_as_its_hash(client, make_person, feed_url, frozen_clock):
    from eventhub.calendar.models import FeedToken
    from eventhub.tokens import hash_token

    person = make_person()
    url = feed_url(person)
    token = url.removeprefix("/feeds/").removesuffix(".ics")

    row = db.session.scalars(db.select(FeedToken).where(FeedToken.person_id == person.id)).one()
    assert row.token_hash == hash_token(token) != token
    assert len(token) >= 43  # 32 random bytes


def test_rotate_needs_login_and_csrf(client, make_user, login, frozen_clock):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/account/feed/rotate", data={"csrf_token": token}).status_code == 302  # to the login page
    login(make_user("member"))
    assert client.post("/account/feed/rotate").status_code == 400


def test_event_and_series_pages_offer_subscribe_links(client, world, login, frozen_clock):
    events, users = world
    public = events[("open", "public")]
    page = client.get(f"/events/{public.id}").get_data(as_text=True)
    feed = f"eventhub.test/events/{public.id}.ics"
    assert f'href="webcal://{feed}"' in page
    assert f"https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F{feed.replace('/', '%2F')}" in page
    assert (
        f"https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2F{feed.replace('/', '%2F')}&amp;name=" in page
    )
    assert f'href="http://{feed}" download' in page

    series_page = client.get("/series/open").get_data(as_text=True)
    assert 'href="webcal://eventhub.test/series/open.ics"' in series_page

    login(users["series_member"])
    closed_event = events[("closed", "members")]
    closed_page = client.get(f"/events/{closed_event.id}").get_data(as_text=True)
    assert "webcal://" not in closed_page  # a calendar program cannot log in
    assert f'href="http://eventhub.test/events/{closed_event.id}.ics" download' in closed_page
    assert "webcal://" not in client.get("/series/closed").get_data(as_text=True)
