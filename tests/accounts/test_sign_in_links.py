"""One-time links that let a person in without a password (eventhub/accounts/links.py, link_emails.py): random,
stored hashed, short-lived, used once; the same answer for unknown addresses; deactivated accounts stay out."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.accounts import link_emails, links, services
from eventhub.accounts.models import LinkPurpose, Role, SignInLink, User
from eventhub.errors import NotAllowed
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.tokens import hash_token
from tests.accounts.link_support import link_in, tokens_in


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)))


def only_link() -> SignInLink:
    return db.session.scalars(sa.select(SignInLink)).one()


# --- stored hashed, random, one-time, short-lived ---------------------------------------------------------------


def test_only_the_tokens_hash_is_stored(make_person, now):
    person = make_person()
    link, token = links.issue_link(person, LinkPurpose.SIGN_IN, now)
    db.session.flush()
    row = db.session.execute(sa.select(SignInLink.__table__)).one()
    assert link.token_hash == hash_token(token) and len(token) >= 43
    assert token not in [str(value) for value in row]
    assert links.issue_link(person, LinkPurpose.SIGN_IN, now)[1] != token  # random, not derived from the person


def test_a_link_works_once(make_person, now):
    person = make_person(email="mette@example.org")
    _link, token = links.issue_link(person, LinkPurpose.SIGN_IN, now)
    user = links.use_link(links.find_link(token, (LinkPurpose.SIGN_IN,), now), now)
    assert user.person == person and user.last_login_at == now
    with pytest.raises(links.LinkUnusable) as refused:
        links.find_link(token, (LinkPurpose.SIGN_IN,), now)
    assert refused.value.link is not None  # told apart from an unknown link: the page offers a new one


def test_two_uses_at_once_cannot_both_succeed(make_person, now):
    """The row was read before another request used it: the conditional UPDATE still refuses."""
    _link, token = links.issue_link(make_person(), LinkPurpose.SIGN_IN, now)
    stale = links.find_link(token, (LinkPurpose.SIGN_IN,), now)
    db.session.execute(sa.update(SignInLink).values(used_at=now))  # the other request, first
    with pytest.raises(links.LinkUnusable):
        links.use_link(stale, now)


@pytest.mark.parametrize(
    ("purpose", "config", "value", "lifetime"),
    [
        (LinkPurpose.SIGN_IN, "SIGN_IN_LINK_MINUTES", 15, timedelta(minutes=15)),
        (LinkPurpose.SIGN_IN, "SIGN_IN_LINK_MINUTES", 5, timedelta(minutes=5)),
        (LinkPurpose.SET_PASSWORD, "SET_PASSWORD_LINK_HOURS", 72, timedelta(hours=72)),
        (LinkPurpose.PERSONAL, "PERSONAL_LINK_DAYS", 14, timedelta(days=14)),
    ],
)
def test_a_link_expires_after_its_configured_lifetime(app, make_person, frozen_clock, purpose, config, value, lifetime):
    app.config[config] = value
    issued = frozen_clock.now()
    _link, token = links.issue_link(make_person(), purpose, issued)
    frozen_clock.advance(lifetime - timedelta(seconds=1))
    assert links.find_link(token, (purpose,), frozen_clock.now())
    frozen_clock.advance(timedelta(seconds=1))
    with pytest.raises(links.LinkUnusable):
        links.find_link(token, (purpose,), frozen_clock.now())


def test_a_link_only_opens_the_door_it_was_made_for(make_person, now):
    _link, token = links.issue_link(make_person(), LinkPurpose.SIGN_IN, now)
    with pytest.raises(links.LinkUnusable):
        links.find_link(token, (LinkPurpose.SET_PASSWORD,), now)
    with pytest.raises(links.LinkUnusable):
        links.find_link("not-a-token", (LinkPurpose.SIGN_IN,), now)


def test_old_links_are_pruned(make_person, now):
    person = make_person()
    links.issue_link(person, LinkPurpose.SIGN_IN, now - timedelta(days=30))
    links.issue_link(person, LinkPurpose.SIGN_IN, now)
    db.session.flush()
    assert links.prune_links(now) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInLink)) == 1


# --- who gets in -----------------------------------------------------------------------------------------------


def test_a_person_without_an_account_gets_a_member_account_without_a_password(make_person, now):
    person = make_person(email="attendee@example.org")
    _link, token = links.issue_link(person, LinkPurpose.PERSONAL, now, "/events/1/minutes/comments")
    user = links.use_link(links.find_link(token, (LinkPurpose.PERSONAL,), now), now)
    assert user.person == person and user.role == Role.MEMBER and user.password_hash is None and user.active


def test_an_existing_account_keeps_its_role(make_user, now):
    organiser = make_user("organiser")
    _link, token = links.issue_link(organiser.person, LinkPurpose.SIGN_IN, now)
    assert links.use_link(links.find_link(token, (LinkPurpose.SIGN_IN,), now), now) == organiser
    assert organiser.role == Role.ORGANISER


def test_a_deactivated_account_cannot_sign_in_by_link_and_the_link_stays_unused(make_user, now):
    user = make_user()
    _link, token = links.issue_link(user.person, LinkPurpose.SIGN_IN, now)
    services.set_active(user, False)
    link = links.find_link(token, (LinkPurpose.SIGN_IN,), now)
    with pytest.raises(NotAllowed):
        links.use_link(link, now)
    assert link.used_at is None


# --- where a link leads: paths on this site only ------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "/\tevil", "javascript:alert(1)", "evil", ""],
)
def test_a_link_never_leads_off_the_site(make_person, now, target):
    link, _token = links.issue_link(make_person(), LinkPurpose.SIGN_IN, now, target)
    assert link.target == "/"
    assert links.safe_path(target) is None


def test_a_path_on_the_site_is_kept(make_person, now):
    link, _token = links.issue_link(make_person(), LinkPurpose.SIGN_IN, now, "/series/bstf/minutes/3?x=1")
    assert link.target == "/series/bstf/minutes/3?x=1"


def test_personal_link_takes_a_path_or_a_link_on_this_site_and_refuses_others(make_person, now):
    person = make_person()
    by_path = links.personal_link(person, "/series/bstf/minutes/3", now)
    by_url = links.personal_link(person, "http://eventhub.test/series/bstf/minutes/4", now)
    db.session.flush()
    assert by_path.startswith("http://eventhub.test/sign-in/")
    assert link_in(by_path).target == "/series/bstf/minutes/3" and link_in(by_url).target == "/series/bstf/minutes/4"
    assert link_in(by_url).purpose == LinkPurpose.PERSONAL and link_in(by_url).person == person
    for elsewhere in ("https://evil.example/x", "http://eventhub.test.evil.example/x", "//evil.example"):
        with pytest.raises(ValueError):
            links.personal_link(person, elsewhere, now)


# --- asking for a sign-in link: same answer, same work, for every address -------------------------------------------


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = link_emails.render_email

    def counting(template, language, **context):
        seen.append(template)
        return real(template, language, **context)

    monkeypatch.setattr(link_emails, "render_email", counting)
    return seen


def deactivated(make_user) -> str:
    user = make_user()
    services.set_active(user, False)
    return user.email


CASES = {
    "a person without an account": (lambda make_user, make_person: make_person().email, True),
    "an account": (lambda make_user, make_person: make_user().email, True),
    "an account, other capitals": (lambda make_user, make_person: make_user().email.upper(), True),
    "an unknown address": (lambda make_user, make_person: "nobody@example.org", False),
    "not an address": (lambda make_user, make_person: "no address at all", False),
    "a deactivated account": (lambda make_user, make_person: deactivated(make_user), False),
}


@pytest.mark.parametrize("case", CASES)
def test_every_request_renders_one_email_and_only_known_people_get_one(make_user, make_person, renders, now, case):
    make, sent = CASES[case]
    address = make(make_user, make_person)
    assert link_emails.email_sign_in_link(address, "/account", "en", now) is sent
    assert renders == ["sign_in_link"]  # the same work either way: the time taken tells nothing
    queued = outbox("sign_in_link")
    assert len(queued) == (1 if sent else 0)
    if sent:
        assert queued[0].recipient_email == address.lower()
        assert link_in(queued[0].body_text).target == "/account"


def test_the_sign_in_email_says_how_long_the_link_works(app, make_person, now):
    app.config["SIGN_IN_LINK_MINUTES"] = 10
    person = make_person(email="mette@example.org", name="Mette Jensen", language="da")
    link_emails.email_sign_in_link(person.email, None, "en", now)
    [message] = outbox("sign_in_link")
    assert message.language == "da" and "10 minutter" in message.body_text and "Dit login-link" == message.subject
    assert tokens_in(message.body_text) == tokens_in(message.body_html)[:1]


def test_a_set_password_link_is_emailed_without_any_password(make_user, now):
    user = make_user(email="olga@example.org", password="correct horse battery")
    link_emails.email_set_password_link(user, now)
    [message] = outbox("set_password_link")
    link = link_in(message.body_text)
    assert link.purpose == LinkPurpose.SET_PASSWORD and link.expires_at == now + timedelta(hours=72)
    assert "correct horse battery" not in message.body_text + message.body_html
    assert "/set-password/" in message.body_text


def test_no_set_password_link_for_a_deactivated_account(make_user, now):
    user = make_user()
    services.set_active(user, False)
    with pytest.raises(Exception, match="deactivated"):
        link_emails.email_set_password_link(user, now)
    assert outbox("set_password_link") == []


def test_requests_are_counted_per_address_and_per_client(app, now):
    from eventhub.errors import TooManyRequests

    app.config["SIGN_IN_LINK_LIMIT_PER_EMAIL"] = (2, 900)
    app.config["SIGN_IN_LINK_LIMIT_PER_IP"] = (3, 3600)
    for _ in range(2):
        link_emails.check_link_request_allowed(link_emails.begin_link_request("a@example.org", "192.0.2.1", now))
    with pytest.raises(TooManyRequests):
        link_emails.check_link_request_allowed(link_emails.begin_link_request("a@example.org", "192.0.2.1", now))
    # the refused one was taken back: one more request from this client is still allowed for another address
    link_emails.check_link_request_allowed(link_emails.begin_link_request("b@example.org", "192.0.2.1", now))
    with pytest.raises(TooManyRequests):
        link_emails.check_link_request_allowed(link_emails.begin_link_request("c@example.org", "192.0.2.1", now))
    # another client, and the same address after the window, are fine
    link_emails.check_link_request_allowed(link_emails.begin_link_request("c@example.org", "192.0.2.2", now))
    later = now + timedelta(minutes=16)
    link_emails.check_link_request_allowed(link_emails.begin_link_request("a@example.org", "192.0.2.9", later))


def test_a_users_account_is_found_once_even_when_created_by_a_link(make_person, now):
    person = make_person()
    for _ in range(2):
        _link, token = links.issue_link(person, LinkPurpose.SIGN_IN, now)
        links.use_link(links.find_link(token, (LinkPurpose.SIGN_IN,), now), now)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.person_id == person.id)) == 1
