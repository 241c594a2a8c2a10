"""The welcome email of a new series member: which series they joined, a link to it, and their personal calendar
feed (webcal, Google Calendar, Outlook) — for many members, the only way to follow a members-only series.

Feed links are secret and stored only as their SHA-256 (``calendar.models.FeedToken``), so an existing link cannot
be shown again: a member without one gets a new link in the email; a member who has one keeps it (rotating it
would break the calendar they already subscribed with) and is told that it now includes the series, and where
to make a new one. Sent in the membership's transaction, once per person and series (the outbox's dedup key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from eventhub.accounts.links import personal_link_to
from eventhub.calendar.models import FeedToken
from eventhub.calendar.presenters import subscribe_links
from eventhub.db import insert_skipping_duplicates
from eventhub.events.models import Person, Series, SeriesMembership
from eventhub.events.people import IN_LIST_CHUNK
from eventhub.extensions import db
from eventhub.i18n import reader_language
from eventhub.mail.models import OutboxMessage
from eventhub.mail.services import EmailToQueue, SenderIdentity, queue_emails, render_email, sender_identity
from eventhub.tokens import new_token
from eventhub.urls import absolute_url

KIND = "member_welcome"


def welcome_key(series: Series, person: Person) -> str:
    return f"member-welcome:{series.id}:{person.id}"


def page_url(person: Person, now: datetime, endpoint: str, **values: Any) -> str:
    """A page of the site that ``person`` opens from their email, through a personal link that signs them in
    (most members have no password, and a members-only series answers 404 to visitors who are not signed in)."""
    return personal_link_to(person, now, endpoint, **values)


@dataclass(frozen=True)
class WelcomeLinks:
    series: str
    account: str
    feed: dict[str, str] | None  # webcal, google, outlook, download; None when the person has a feed link already


def welcome_links(person: Person, series: Series, feed_token: str | None, now: datetime) -> WelcomeLinks:
    """The links of one welcome email; ``feed_token`` is the person's new feed secret, or None if they had one."""
    feed = None
    if feed_token is not None:
        feed = subscribe_links(absolute_url("calendar.personal_feed", token=feed_token), f"eventhub: {person.name}")
    return WelcomeLinks(
        series=page_url(person, now, "events.series", slug=series.slug),
        account=page_url(person, now, "accounts.account"),
        feed=feed,
    )


def queue_welcome_emails(series: Series, memberships: Sequence[SeriesMembership], now: datetime) -> int:
    """Welcome each new member of ``series`` (a feed link made for those without one), unless they were welcomed
    to it before. A few statements whatever the number of members. Returns how many emails were queued."""
    people = {m.person.id: m.person for m in memberships}
    welcomed = _keys_queued([welcome_key(series, person) for person in people.values()])
    people = {pid: person for pid, person in people.items() if welcome_key(series, person) not in welcomed}
    new_tokens = _issue_missing_feed_tokens(list(people), now)
    signature = _signature(series)
    emails = [
        EmailToQueue(
            welcome_key(series, person),
            person,
            render_welcome(series, person, new_tokens.get(pid), now, signature),
            headers={"Content-Language": reader_language(person, series)},
        )
        for pid, person in people.items()
    ]
    return queue_emails(KIND, emails, now)


def render_welcome(
    series: Series, person: Person, feed_token: str | None, now: datetime, signature: SenderIdentity | None = None
):
    """The welcome email for ``person`` in the language they read (``i18n.reader_language``)."""
    language = reader_language(person, series)
    return render_email(
        KIND,
        language,
        person=person,
        series=series,
        links=welcome_links(person, series, feed_token, now),
        signature=signature or _signature(series),
    )


def _signature(series: Series) -> SenderIdentity:
    """Signed by the series' organiser when it names one (as the emails of its events are), else by the site."""
    site = sender_identity(None)
    return SenderIdentity(series.organiser_name or site.name, site.contact)


def _keys_queued(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), IN_LIST_CHUNK):
        chunk = keys[start : start + IN_LIST_CHUNK]
        found.update(db.session.scalars(sa.select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(chunk))))
    return found


def _issue_missing_feed_tokens(person_ids: list[int], now: datetime) -> dict[int, str]:
    """A first feed link for each of ``person_ids`` who has none (the others keep theirs). Returns the new secrets
    by person id; only their hashes are stored."""
    having: set[int] = set()
    for start in range(0, len(person_ids), IN_LIST_CHUNK):
        chunk = person_ids[start : start + IN_LIST_CHUNK]
        having.update(db.session.scalars(sa.select(FeedToken.person_id).where(FeedToken.person_id.in_(chunk))))
    tokens = {pid: new_token() for pid in person_ids if pid not in having}
    rows = [{"person_id": pid, "token_hash": digest, "created_at": now} for pid, (_, digest) in tokens.items()]
    table = FeedToken.__table__
    # A link the person makes on their account page at this very moment wins: theirs is kept, ours is dropped.
    statement = insert_skipping_duplicates(table, db.session).returning(table.c.person_id)
    stored = {pid for start in range(0, len(rows), IN_LIST_CHUNK)
              for pid in db.session.scalars(statement, rows[start : start + IN_LIST_CHUNK])}  # fmt: skip
    return {pid: token for pid, (token, _) in tokens.items() if pid in stored}
