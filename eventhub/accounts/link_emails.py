"""The emails that carry sign-in and set-password links, queued in the outbox like every email.

Asking for a sign-in link answers the same whoever asks: the caller shows "if we know the address, a link is on
its way" for every address, and ``email_sign_in_link`` does the same work for each (one token drawn, one email
rendered; only a known address gets a row and a queued email), so neither the page nor its timing tells which
addresses eventhub knows. Requests are counted per address and per client (``SCOPE`` in ``eventhub.ratelimit``),
recorded before anything else, like failed logins (``throttle``), so requests sent at once see each other.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from eventhub import ratelimit
from eventhub.accounts.links import issue_link, link_url, prune_links
from eventhub.accounts.models import LinkPurpose, SignInLink, User
from eventhub.errors import Conflict, ValidationFailed
from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.i18n import reader_language
from eventhub.mail.services import Addressee, RenderedEmail, queue_email, render_email
from eventhub.texts import lazy_text as _l
from eventhub.tokens import new_token
from eventhub.validation import normalize_email

SCOPE = "sign-in-link"
MESSAGE = _l("Too many sign-in links were asked for. Please wait a while and try again.")


def begin_link_request(email: str, ip: str, now: datetime) -> ratelimit.LinkRequest:
    """Count a request for a sign-in link (the caller commits before checking the limits)."""
    return ratelimit.begin_link_request(SCOPE, email, ip, now)


def check_link_request_allowed(request: ratelimit.LinkRequest) -> None:
    """Raise TooManyRequests when the address or the client asked for too many links (the request is taken back)."""
    ratelimit.check_link_request(request, MESSAGE)


def email_sign_in_link(email: str, target: str | None, language: str, now: datetime) -> bool:
    """Email a sign-in link (``SIGN_IN_LINK_MINUTES``) to the person with this address, if eventhub knows them
    and their account, if any, is active. Returns whether an email was queued: callers must not tell anyone.

    ``language`` is the page's: the stand-in email for an unknown address is rendered in it."""
    prune_links(now)
    person = _person_with_address(email)
    if person is None or _is_deactivated(person):
        _token, _digest = new_token()  # the same work as for a known address, thrown away
        _render_sign_in_link(Addressee(email="nobody@example.invalid", name="", language=language), _token)
        return False
    link, token = issue_link(person, LinkPurpose.SIGN_IN, now, target)
    rendered = _render_sign_in_link(person, token)
    queue_email(dedup_key=_dedup_key(link), kind="sign_in_link", recipient=person, email=rendered, now=now)
    return True


def email_set_password_link(user: User, now: datetime) -> None:
    """Email the account a link to set its password (``SET_PASSWORD_LINK_HOURS``): an admin's action; no
    password is ever shown or mailed. Raises Conflict for a deactivated account, which could not use it."""
    if not user.active:
        raise Conflict(_l("This account is deactivated: reactivate it first."))
    link, token = issue_link(user.person, LinkPurpose.SET_PASSWORD, now, "/account")
    rendered = render_email(
        "set_password_link",
        reader_language(user.person),
        person=user.person,
        url=link_url(LinkPurpose.SET_PASSWORD, token),
        hours=int(current_app.config["SET_PASSWORD_LINK_HOURS"]),
    )
    queue_email(dedup_key=_dedup_key(link), kind="set_password_link", recipient=user.person, email=rendered, now=now)


def _render_sign_in_link(reader: Person | Addressee, token: str) -> RenderedEmail:
    return render_email(
        "sign_in_link",
        reader_language(reader),
        person=reader,
        url=link_url(LinkPurpose.SIGN_IN, token),
        minutes=int(current_app.config["SIGN_IN_LINK_MINUTES"]),
    )


def _dedup_key(link: SignInLink) -> str:
    """Names the email by its link (a part of the token's digest: unique, and no use to anyone who reads it)."""
    return f"{link.purpose.value}:{link.token_hash[:32]}"


def _person_with_address(email: str) -> Person | None:
    try:
        normalized = normalize_email(email)
    except ValidationFailed:  # a malformed address is an unknown one
        return None
    return db.session.scalar(sa.select(Person).where(Person.email == normalized))


def _is_deactivated(person: Person) -> bool:
    return db.session.scalar(sa.select(User.active).where(User.person_id == person.id)) is False
