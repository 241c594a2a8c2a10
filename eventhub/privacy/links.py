"""The privacy page's emailed link: asked for with an address, answered the same whether or not eventhub knows it.

As with sign-in links (``accounts.link_emails``): the request is counted per address and per client before
anything else (the caller commits, then checks), so requests sent at once see each other; every address costs the
same work (a token drawn, an email rendered) and only an address eventhub holds something about gets a row and a
queued email, so neither the page nor its timing tells which addresses are known. The limits are the sign-in
links' (``SIGN_IN_LINK_LIMIT_PER_EMAIL``/``_PER_IP``). Functions flush, never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from eventhub import ratelimit
from eventhub.errors import NotFound
from eventhub.extensions import db
from eventhub.i18n import reader_language
from eventhub.mail.services import Addressee, RenderedEmail, queue_email, render_email
from eventhub.privacy import holdings
from eventhub.privacy.models import PrivacyLink
from eventhub.texts import lazy_text as _l
from eventhub.tokens import hash_token, new_token
from eventhub.urls import absolute_url

SCOPE = "privacy-link"
# Shown on the page in the reader's language (the view shows the refusal's message), in English in the API.
MESSAGE = _l("Too many links were asked for. Please wait a while and try again.")
# Long enough to download the data and think about erasing it; short enough that a forgotten email opens nothing.
LIFETIME = timedelta(hours=24)


class PrivacyLinkUnusable(NotFound):
    """The link is unknown or expired (or its address was erased since)."""


def begin_link_request(email: str, ip: str, now: datetime) -> ratelimit.LinkRequest:
    """Count a request for a privacy link, under the sign-in links' limits (the caller commits before checking)."""
    return ratelimit.begin_link_request(SCOPE, email, ip, now)


def check_link_request(request: ratelimit.LinkRequest) -> None:
    """Raise TooManyRequests when the address or the client asked for too many links (the request is taken back)."""
    ratelimit.check_link_request(request, MESSAGE)


def email_privacy_link(email: str, language: str, now: datetime) -> bool:
    """Email a privacy link to ``email`` if eventhub holds anything about it; returns whether one was queued
    (callers must not tell anyone). The email is in the person's language, else ``language`` (the page's)."""
    prune_links(now)
    address = holdings.normalized_address(email)
    token, digest = new_token()
    if address is None or not holdings.holds_anything(address):
        _render(Addressee(email="nobody@example.invalid", name="", language=language), token)
        return False
    person = holdings.person_with_address(address)
    reader = person or Addressee(email=address, name="", language=language)
    db.session.add(PrivacyLink(email=address, token_hash=digest, created_at=now, expires_at=now + LIFETIME))
    queue_email(
        dedup_key=f"privacy_link:{digest[:32]}", kind="privacy_link", recipient=reader, email=_render(reader, token),
        now=now,
    )  # fmt: skip
    db.session.flush()
    return True


def _render(reader: object, token: str) -> RenderedEmail:
    return render_email(
        "privacy_link",
        reader_language(reader),
        person=reader,
        url=absolute_url("privacy.link", token=token),
        hours=int(LIFETIME.total_seconds() // 3600),
    )


def find_link(token: str, now: datetime) -> PrivacyLink:
    """The usable link with this token; raises PrivacyLinkUnusable."""
    link = db.session.scalar(sa.select(PrivacyLink).where(PrivacyLink.token_hash == hash_token(token)))
    if link is None or not link.is_usable(now):
        raise PrivacyLinkUnusable("This link has expired or is not valid.")
    return link


def prune_links(now: datetime) -> int:
    """Delete expired links (they name an address); called whenever a link is asked for, so no job is needed."""
    result = db.session.execute(sa.delete(PrivacyLink).where(PrivacyLink.expires_at <= now))
    return result.rowcount or 0
