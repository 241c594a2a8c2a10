"""What the events area announces; areas built on it (registration, reminders) listen and react.

Events never imports the areas that depend on it: a change is announced, and each area's handler does its own
part. Handlers are connected explicitly in ``create_app`` (``_connect_signals``), not at import time. They run
synchronously inside the sender's transaction, so a change and the emails it causes commit together; they take
``now`` from the signal and never read the request.

* ``event_changed``: sent by ``update_event`` as ``(event, changes={field: (old, new)}, now=now)``, once per call
  that changed at least one field.
* ``event_cancelled``: sent by ``cancel_event`` as ``(event, now=now)``, once (cancelling again sends nothing).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

event_changed = _signals.signal("event-changed", doc="Fields changed: (event, changes={field: (old, new)}, now).")
event_cancelled = _signals.signal("event-cancelled", doc="An event was cancelled: (event, now).")
