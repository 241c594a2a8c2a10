"""Getting in without a password: one-time links emailed to a person (``SignInLink``).

Three kinds, one table: a sign-in link asked for on the login page (15 minutes), a set-password link an admin
sends (72 hours), and a personal link inside an email such as "read the minutes" (14 days) that signs its
recipient in and takes them to the page the email is about. Every link is random, stored as its SHA-256
only, and used once: ``use_link`` marks it used in one conditional UPDATE, so two clicks at once cannot both
succeed. The lifetimes are config (``SIGN_IN_LINK_MINUTES``, ``SET_PASSWORD_LINK_HOURS``, ``PERSONAL_LINK_DAYS``).

A person without an account who signs in by link gets a member account without a password
(``account_for_sign_in``): everyone eventhub writes to is a Person already, and "member" adds no rights of its
own (what a member may see comes from their series memberships and attendance). A deactivated account is
refused. Functions flush, never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from eventhub.accounts.models import LinkPurpose, Role, SignInLink, User
from eventhub.accounts.services import create_user
from eventhub.errors import NotAllowed, NotFound
from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.texts import lazy_text as _l
from eventhub.tokens import hash_token, new_token
from eventhub.urls import absolute_url

# Used and expired links are kept this long (so "this link was already used" can still be told apart from a
# link that never existed), then deleted by ``prune_links``.
KEEP_AFTER_EXPIRY = timedelta(days=7)


class LinkUnusable(NotFound):
    """The link is unknown, used or expired. ``link`` is the row when there is one (for the "email me a new
    link" form, prefilled with its address and target)."""

    def __init__(self, message: str, link: SignInLink | None = None):
        super().__init__(message)
        self.link = link


def safe_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None, so ``?next=`` cannot send anyone elsewhere.

    Browsers read ``//host``, ``/\\host`` and paths with tabs or newlines in them as other hosts, so
    anything but a plain local path is refused.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and len(target) <= 500 else None


def lifetime(purpose: LinkPurpose) -> timedelta:
    """How long a link of ``purpose`` works (config.py)."""
    config = current_app.config
    if purpose == LinkPurpose.SIGN_IN:
        return timedelta(minutes=int(config["SIGN_IN_LINK_MINUTES"]))
    if purpose == LinkPurpose.SET_PASSWORD:
        return timedelta(hours=int(config["SET_PASSWORD_LINK_HOURS"]))
    return timedelta(days=int(config["PERSONAL_LINK_DAYS"]))


def issue_link(
    person: Person, purpose: LinkPurpose, now: datetime, target: str | None = None
) -> tuple[SignInLink, str]:
    """Store a new link for ``person``; returns the row and its token (the only time it exists in plain text).

    ``target`` (a path on this site) is where they go once signed in; anything else means the home page. Not
    flushed: an email to thousands of members adds its links in one go."""
    plaintext, digest = new_token()
    link = SignInLink(
        person=person,
        purpose=purpose,
        token_hash=digest,
        target=safe_path(target) or "/",
        created_at=now,
        expires_at=now + lifetime(purpose),
    )
    db.session.add(link)
    return link, plaintext


def link_url(purpose: LinkPurpose, token: str) -> str:
    """The absolute address of a link: the set-password form, or the sign-in page for the other kinds."""
    if purpose == LinkPurpose.SET_PASSWORD:
        return absolute_url("sign_in.set_password", token=token)
    return absolute_url("sign_in.use_link", token=token)


def personal_link(person: Person, target: str, now: datetime) -> str:
    """An absolute link for an email to ``person`` that signs them in and takes them to ``target``.

    What other areas call to make a link in their email work for its recipient directly (the comment link of
    circulated minutes, the minutes of a members-only series, a welcome email): ``target`` is a path on this
    site or an absolute link built by ``urls.absolute_url``, so a plain link is wrapped in one call. Used or
    expired, it leads to the "email me a new link" form, prefilled. Not for links that programs open (a
    calendar feed): nobody is there to press "Sign in". Raises ValueError for a link to another site.
    """
    base = current_app.config["BASE_URL"]
    path = target[len(base) :] if target.startswith(base + "/") else target
    if safe_path(path) is None:
        raise ValueError(f"personal_link needs a path or link on this site, not {target!r}")
    _link, token = issue_link(person, LinkPurpose.PERSONAL, now, path)
    return link_url(LinkPurpose.PERSONAL, token)


def personal_link_to(person: Person, now: datetime, endpoint: str, **values: object) -> str:
    """``personal_link`` to the page of ``endpoint`` with ``values`` (as ``url_for`` takes them)."""
    return personal_link(person, absolute_url(endpoint, **values), now)


def find_link(token: str, purposes: tuple[LinkPurpose, ...], now: datetime) -> SignInLink:
    """The usable link with this token and one of ``purposes``. Raises LinkUnusable (with the row when the link
    exists but is used or expired)."""
    link = db.session.scalar(
        sa.select(SignInLink).where(SignInLink.token_hash == hash_token(token), SignInLink.purpose.in_(purposes))
    )
    if link is None:
        raise LinkUnusable(_l("This link is not valid."))
    if not link.is_usable(now):
        raise LinkUnusable(_l("This link has expired or was already used."), link)
    return link


def account_for_sign_in(person: Person) -> User:
    """The person's account, or a new member account without a password if they have none.

    Raises NotAllowed for a deactivated account: deactivation must keep its owner out whatever door they use."""
    user = db.session.scalar(sa.select(User).where(User.person_id == person.id))
    if user is None:
        return create_user(person.email, Role.MEMBER)
    if not user.active:
        raise NotAllowed(_l("This account is deactivated. Please contact an administrator."))
    return user


def use_link(link: SignInLink, now: datetime) -> User:
    """Mark ``link`` used and return the account its person signs in with (created if new).

    The account is checked first, so a refused link stays unused. Raises LinkUnusable when someone else used
    the link a moment ago (the conditional UPDATE finds it used), NotAllowed for a deactivated account."""
    user = account_for_sign_in(link.person)
    used = db.session.execute(
        sa.update(SignInLink)
        .where(SignInLink.id == link.id, SignInLink.used_at.is_(None), SignInLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise LinkUnusable(_l("This link has expired or was already used."), link)
    db.session.refresh(link)
    user.last_login_at = now
    db.session.flush()
    return user


def prune_links(now: datetime) -> int:
    """Delete links that expired more than ``KEEP_AFTER_EXPIRY`` ago; returns how many. Called when links are
    asked for on the login page, so the table stays small without a job."""
    result = db.session.execute(sa.delete(SignInLink).where(SignInLink.expires_at < now - KEEP_AFTER_EXPIRY))
    return result.rowcount or 0
