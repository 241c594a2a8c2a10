"""What the registration area announces, so the areas built on it react without being called.

* ``registration_cancelled``: sent by ``cancel_registration`` as ``(registration, now=now)``, once.

Handlers are connected in ``create_app`` and run in the sender's transaction (see ``eventhub.events.signals``).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

registration_cancelled = _signals.signal("registration-cancelled", doc="Cancelled: (registration, now).")
