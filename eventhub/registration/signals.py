"""What the registration area announces, so the areas built on it react without being called.

* ``registration_cancelled``: sent by ``cancel_registration`` as ``(registration, now=now)``, once.
* ``calendar_entry_text``: a question, sent as ``(event)`` while building the calendar entry of an invitation
  email; each receiver returns text for the entry's description ("" for none). The agenda answers with the
  published agenda.
* ``calendar_event_body``: a question, sent as ``(event, language=..., base_url=...)`` while building an iTIP
  part; the calendar area answers with the event's stored component text in that language (the one its feeds
  use), so the email's entry and the feeds' are the same text, rendered once.

Handlers are connected in ``create_app`` and run in the sender's transaction (see ``eventhub.events.signals``).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

registration_cancelled = _signals.signal("registration-cancelled", doc="Cancelled: (registration, now).")
calendar_entry_text = _signals.signal(
    "calendar-entry-text", doc="Asked while writing an invitee's calendar entry: (event) -> text for its description."
)
calendar_event_body = _signals.signal(
    "calendar-event-body",
    doc="Asked while writing an iTIP part: (event, language, base_url) -> the event's stored VEVENT body text.",
)
