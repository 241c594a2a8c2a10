"""Who may edit an agenda. A predicate only; callers choose 403 or 404.

Agendas are kept by the people who manage the event (its series' organisers, admins) and the series' secretaries.
"""

from __future__ import annotations

from eventhub.accounts.models import User
from eventhub.accounts.permissions import can_manage_event, is_secretary_of
from eventhub.events.models import Event


def can_edit_agenda(user: User | None, event: Event) -> bool:
    return can_manage_event(user, event) or is_secretary_of(user, event.series)
