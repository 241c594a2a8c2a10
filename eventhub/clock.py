"""The one clock that views, API handlers, CLI commands and jobs read.

Services never read a clock: they take ``now``. Their callers ask ``clock.now()`` (an attribute lookup at call
time, never ``from eventhub.clock import now``), so a test freezes or moves time for the whole app by setting
one attribute, and a new view cannot escape the freeze.
"""

from __future__ import annotations

from datetime import datetime

from eventhub.db import utcnow


def now() -> datetime:
    """The current instant, aware UTC."""
    return utcnow()
