"""Reading the one-time links in an email's text, for the tests of the emails that carry them."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eventhub.accounts.models import SignInLink
from eventhub.extensions import db
from eventhub.tokens import hash_token

LINK = re.compile(r"https?://[^\s\"'<>]+/(?P<kind>sign-in|set-password)/(?P<token>[A-Za-z0-9_-]+)")


def tokens_in(text: str) -> list[str]:
    """The tokens of every sign-in or set-password link in ``text``, in order."""
    return [match["token"] for match in LINK.finditer(text)]


def link_in(text: str) -> SignInLink:
    """The stored link whose token is the first one in ``text`` (found by its hash, as the site finds it)."""
    tokens = tokens_in(text)
    assert tokens, f"no sign-in link in {text!r}"
    link = db.session.scalar(sa.select(SignInLink).where(SignInLink.token_hash == hash_token(tokens[0])))
    assert link is not None, "the link's token matches no stored link"
    return link
