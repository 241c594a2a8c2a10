"""The reminder email: its content, its links and its RFC 8058 unsubscribe headers.

Everyone registered for an event gets the same reminder but for their name and their unsubscribe link, so a
reminder is rendered once per event and language as a *stencil* with two slots, then filled in per reader
(escaped for the HTML part). That is what lets the planner queue 10,000 reminders in one tick: Jinja and
Flask-Babel cost about a millisecond per email, filling two slots a few microseconds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from markupsafe import escape

from eventhub.events.models import Event
from eventhub.i18n import event_when
from eventhub.mail.services import RenderedEmail, render_email
from eventhub.reminders.services import unsubscribe_token
from eventhub.urls import absolute_url, event_url

NAME_SLOT = "[[eventhub:name]]"
UNSUBSCRIBE_SLOT = "[[eventhub:unsubscribe]]"
_SLOTS = re.compile("(" + re.escape(NAME_SLOT) + "|" + re.escape(UNSUBSCRIBE_SLOT) + ")")


def unsubscribe_link_maker() -> Callable[[int], str]:
    """A function person id → absolute unsubscribe link. The URL is built once: building it costs more than
    signing the token, and only the token differs (its characters need no quoting in a path)."""
    prefix = absolute_url("reminders.unsubscribe", token="-")[:-1]
    return lambda person_id: prefix + unsubscribe_token(person_id)


def reminder_headers(unsubscribe: str) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): mail clients POST ``List-Unsubscribe=One-Click`` to the link."""
    return {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass(frozen=True)
class ReminderStencil:
    """The reminder of one event in one language, with slots for the reader's name and unsubscribe link."""

    email: RenderedEmail

    def fill(self, name: str, unsubscribe: str) -> RenderedEmail:
        """The reminder for one reader. Each part is cut at its slots once, so the reader's values are only
        joined in: a name that happens to contain a slot's text is shown as it is."""
        plain = {NAME_SLOT: name, UNSUBSCRIBE_SLOT: unsubscribe}
        html = {NAME_SLOT: str(escape(name)), UNSUBSCRIBE_SLOT: str(escape(unsubscribe))}
        return RenderedEmail(
            subject=_join(_pieces(self.email.subject), plain),
            text=_join(_pieces(self.email.text), plain),
            html=_join(_pieces(self.email.html), html),
            language=self.email.language,
        )


@functools.lru_cache(maxsize=512)
def _pieces(template: str) -> tuple[str, ...]:
    """``template`` cut into literal text and slot names (odd positions are slots)."""
    return tuple(_SLOTS.split(template))


def fill_in_sql(template: Any, name: Any, unsubscribe: Any) -> sa.ColumnElement[str]:
    """``ReminderStencil.fill`` as SQL, for the database to fill in thousands at once: the link's slot first,
    then the name's, so a name that happens to contain a slot's text is shown as it is (a link never does).
    The caller passes the values escaped for the part they go into."""
    return sa.func.replace(sa.func.replace(template, UNSUBSCRIBE_SLOT, unsubscribe), NAME_SLOT, name)


def _join(pieces: tuple[str, ...], values: dict[str, str]) -> str:
    return "".join(values[piece] if index % 2 else piece for index, piece in enumerate(pieces))


def reminder_stencil(event: Event, language: str) -> ReminderStencil:
    """Render ``templates/mail/reminder.*`` for ``event`` in ``language`` (one of the app's languages)."""
    email = render_email(
        "reminder",
        language,
        event=event,
        when=event_when(event, language),
        event_url=event_url(event),
        name=NAME_SLOT,
        unsubscribe_url=UNSUBSCRIBE_SLOT,
    )
    return ReminderStencil(email)
