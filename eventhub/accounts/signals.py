"""What the accounts area announces, so the areas built on it react without being called.

* ``members_joined``: sent by ``accounts.memberships`` as ``(series, memberships=[SeriesMembership, ...], now=now)``
  once per call that made people members of ``series`` (never for people who were members already). The calendar
  area answers with each new member's welcome email, carrying their personal feed link.

The operator's own ``events.services.add_series_member`` (command line, demo loader) sends nothing: only a
person's act through a page or the API welcomes anyone. Handlers are connected in ``create_app`` and run in the
sender's transaction (see ``eventhub.events.signals``), so a membership and its welcome email commit together.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

members_joined = _signals.signal("members-joined", doc="New members of a series: (series, memberships=[...], now).")
