"""Mail to all members of a series (published minutes, agenda changes) as list mail: a ``List-Id`` naming the
series and a one-click ``List-Unsubscribe`` (RFC 2919, RFC 8058), as reminders have. Mail providers expect both
on bulk mail; without a way out, a member's only button is "Report spam", which hurts everyone's delivery.

Unsubscribing stops that series' list mail to that person; invitations and the emails of their own
registrations are not list mail and still arrive.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, Signer

from eventhub.events.models import Person, Series
from eventhub.extensions import db
from eventhub.mail.models import ListUnsubscription
from eventhub.urls import absolute_url

SALT = "eventhub.series-mail-unsubscribe"


def list_id(series: Series) -> str:
    """``"Buy Social Taskforce" <buy-social-taskforce.eventhub.example.org>``: stable for the series' life."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "eventhub.invalid"
    title = series.title.replace('"', "'")
    return f'"{title}" <{series.slug}.{host}>'


def list_headers(series: Series, person_id: int) -> dict[str, str]:
    """The headers of one member's copy: List-Id, and a one-click unsubscribe link of their own."""
    link = absolute_url("mail_lists.unsubscribe", token=unsubscribe_token(person_id, series.id))
    return {
        "List-Id": list_id(series),
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe_token(person_id: int, series_id: int) -> str:
    """``<person>.<series>.<signature>``: the link proves itself, so nothing is stored until it is used."""
    return _signer(current_app.config["SECRET_KEY"]).sign(f"{person_id}.{series_id}".encode()).decode()


def read_unsubscribe_token(token: str) -> tuple[Person, Series] | None:
    """The person and series a token names; None when tampered with or either is gone."""
    try:
        value = _signer(current_app.config["SECRET_KEY"]).unsign(token.encode()).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    person_id, _, series_id = value.partition(".")
    if not (person_id.isdigit() and series_id.isdigit()):
        return None
    person, series = db.session.get(Person, int(person_id)), db.session.get(Series, int(series_id))
    return (person, series) if person is not None and series is not None else None


@functools.lru_cache(maxsize=4)
def _signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt=SALT)


def unsubscribe_from_series(person: Person, series: Series) -> None:
    """Stop ``series``' list mail to ``person``. Doing it twice is fine. Flushes."""
    if not is_unsubscribed(person.id, series.id):
        db.session.add(ListUnsubscription(person_id=person.id, series_id=series.id))
        db.session.flush()


def is_unsubscribed(person_id: int, series_id: int) -> bool:
    query = sa.select(ListUnsubscription.id).where(
        ListUnsubscription.person_id == person_id, ListUnsubscription.series_id == series_id
    )
    return db.session.scalar(query) is not None


def subscribed(people: Iterable[Person], series: Series | None) -> list[Person]:
    """``people`` without those who unsubscribed from ``series``' list mail (one query)."""
    people = list(people)
    if series is None or not people:
        return people
    query = sa.select(ListUnsubscription.person_id).where(ListUnsubscription.series_id == series.id)
    gone = set(db.session.scalars(query))
    return [person for person in people if person.id not in gone]
